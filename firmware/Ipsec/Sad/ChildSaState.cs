namespace VpnAppliance.Ipsec
{
    /// <summary>Life cycle of a CHILD SA pair slot in the SAD.</summary>
    public enum ChildSaState
    {
        /// <summary>Unused.</summary>
        Free = 0,
        /// <summary>Inbound SPI allocated for an exchange in progress (RFC 7296 §1.3: the SPI we send in the SA payload); passes no traffic.</summary>
        Reserved = 1,
        /// <summary>Keyed both ways; carries traffic until its hard lifetime passes or IKE deletes it.</summary>
        Installed = 2,
    }
}
