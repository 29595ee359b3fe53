namespace VpnAppliance.Bgp.Speaker
{
    /// <summary>Where <c>show bgp ...</c> text goes (the console's output buffer); lines end with '\n'.</summary>
    public interface IBgpTextOutput
    {
        /// <summary>Appends <paramref name="text"/>.</summary>
        void Write(string text);
    }
}
