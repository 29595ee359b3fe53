namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>RFC 7296 §3.10.1 notify names as they appear in logs (and in strongSwan's).</summary>
    public static class IkeNotifyNames
    {
        /// <summary>The name of notify type <paramref name="type"/>.</summary>
        public static string Name(int type)
        {
            switch (type)
            {
                case IkeNotifyType.UnsupportedCriticalPayload: return "UNSUPPORTED_CRITICAL_PAYLOAD";
                case IkeNotifyType.InvalidIkeSpi: return "INVALID_IKE_SPI";
                case IkeNotifyType.InvalidMajorVersion: return "INVALID_MAJOR_VERSION";
                case IkeNotifyType.InvalidSyntax: return "INVALID_SYNTAX";
                case IkeNotifyType.InvalidMessageId: return "INVALID_MESSAGE_ID";
                case IkeNotifyType.InvalidSpi: return "INVALID_SPI";
                case IkeNotifyType.NoProposalChosen: return "NO_PROPOSAL_CHOSEN";
                case IkeNotifyType.InvalidKePayload: return "INVALID_KE_PAYLOAD";
                case IkeNotifyType.AuthenticationFailed: return "AUTHENTICATION_FAILED";
                case IkeNotifyType.SinglePairRequired: return "SINGLE_PAIR_REQUIRED";
                case IkeNotifyType.NoAdditionalSas: return "NO_ADDITIONAL_SAS";
                case IkeNotifyType.InternalAddressFailure: return "INTERNAL_ADDRESS_FAILURE";
                case IkeNotifyType.FailedCpRequired: return "FAILED_CP_REQUIRED";
                case IkeNotifyType.TsUnacceptable: return "TS_UNACCEPTABLE";
                case IkeNotifyType.InvalidSelectors: return "INVALID_SELECTORS";
                case IkeNotifyType.TemporaryFailure: return "TEMPORARY_FAILURE";
                case IkeNotifyType.ChildSaNotFound: return "CHILD_SA_NOT_FOUND";
            }

            return "notify " + type;
        }
    }
}
