namespace VpnAppliance.Config
{
    /// <summary>The cloud profiles a peer can name, in summary order.</summary>
    public static class CloudProfiles
    {
        /// <summary>Profile keywords accepted by <c>set vpn peer X profile</c>.</summary>
        public static readonly string[] Names = new string[]
        {
            AzureProfile.ProfileName, AlibabaProfile.ProfileName, AwsProfile.ProfileName, GcpProfile.ProfileName, GenericProfile.ProfileName,
        };

        private static readonly ICloudProfile[] s_profiles = new ICloudProfile[]
        {
            new AzureProfile(), new AlibabaProfile(), new AwsProfile(), new GcpProfile(), new GenericProfile(),
        };

        /// <summary>Profile by keyword, or null.</summary>
        public static ICloudProfile Find(string name)
        {
            for (int i = 0; i < s_profiles.Length; i++) if (s_profiles[i].Name == name) return s_profiles[i];
            return null;
        }
    }
}
