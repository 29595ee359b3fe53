namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// The content checks on a decoded OPEN (RFC 4271 §6.2, RFC 6793 §4.1, RFC 6286 §2.2, RFC 5492 §5), in
    /// the RFC's order. Each failure yields the NOTIFICATION to send (code/subcode/data in the ErrorNotification)
    /// and an OpenError (log line: OpenErrorText). Decoding errors (lengths, unknown parameter) come earlier from OpenMessage.Decode.
    /// </summary>
    public static class OpenCheck
    {
        /// <summary>
        /// Validates <paramref name="peer"/> against <paramref name="policy"/>. Returns OpenError.None when
        /// acceptable, else the reason (log line: OpenErrorText.Describe) with <paramref name="error"/> set.
        /// </summary>
        public static OpenError Validate(OpenMessage peer, OpenPolicy policy, ErrorNotification error)
        {
            error.Clear();
            if (peer.Version != OpenMessage.Version4)
            {
                // RFC 4271 §6.2: Data = the largest locally supported version, 2 octets.
                error.Scratch[0] = 0;
                error.Scratch[1] = OpenMessage.Version4;
                error.SetScratch(NotificationCode.OpenMessageError, NotificationCode.OpenUnsupportedVersionNumber, 2);
                return OpenError.UnsupportedVersionNumber;
            }

            uint peerAs = peer.EffectiveAs;
            if (peerAs == 0 || peerAs == CapabilityCode.AsTrans)
            {
                // AS 0 is reserved (RFC 7607 §2); AS_TRANS is never a speaker's own AS (RFC 6793 §9).
                error.Set(NotificationCode.OpenMessageError, NotificationCode.OpenBadPeerAs);
                return OpenError.PeerAsReserved;
            }

            if (peer.HasFourOctetAs && ((peer.FourOctetAs <= 0xFFFF && peer.MyAs != (int)peer.FourOctetAs)
                || (peer.FourOctetAs > 0xFFFF && peer.MyAs != (int)CapabilityCode.AsTrans)))
            {
                // RFC 6793 §4.1: My AS carries the AS, or AS_TRANS when it needs 4 octets.
                error.Set(NotificationCode.OpenMessageError, NotificationCode.OpenBadPeerAs);
                return OpenError.PeerAsInconsistent;
            }

            if (policy.ExpectedPeerAs != 0 && peerAs != policy.ExpectedPeerAs)
            {
                error.Set(NotificationCode.OpenMessageError, NotificationCode.OpenBadPeerAs);
                return OpenError.PeerAsNotConfigured;
            }

            if (peer.BgpIdentifier == 0 || (peerAs == policy.LocalAs && peer.BgpIdentifier == policy.LocalIdentifier))
            {
                // RFC 6286 §2.2: non-zero; an internal peer must not share our identifier.
                error.Set(NotificationCode.OpenMessageError, NotificationCode.OpenBadBgpIdentifier);
                return OpenError.BadBgpIdentifier;
            }

            if (peer.HoldTime == 1 || peer.HoldTime == 2 || (peer.HoldTime != 0 && peer.HoldTime < policy.MinHoldTime))
            {
                // RFC 4271 §4.2: Hold Time is 0 or at least 3 s; §6.2: refusing other values is allowed.
                error.Set(NotificationCode.OpenMessageError, NotificationCode.OpenUnacceptableHoldTime);
                return OpenError.UnacceptableHoldTime;
            }

            if (policy.RequireFourOctetAs && !peer.HasFourOctetAs)
            {
                // RFC 5492 §5: Data = the capability we require, as a code/length/value.
                error.Scratch[0] = CapabilityCode.FourOctetAs;
                error.Scratch[1] = 4;
                VpnAppliance.Wire.NetworkByteOrder.WriteUInt32(error.Scratch, 2, policy.LocalAs);
                error.SetScratch(NotificationCode.OpenMessageError, NotificationCode.OpenUnsupportedCapability, 6);
                return OpenError.MissingFourOctetAsCapability;
            }

            if (policy.RequireIpv4Unicast && peer.MultiprotocolCount > 0
                && !peer.HasMultiprotocol(CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast))
            {
                error.Scratch[0] = CapabilityCode.Multiprotocol;
                error.Scratch[1] = 4;
                error.Scratch[2] = 0;
                error.Scratch[3] = CapabilityCode.AfiIpv4;
                error.Scratch[4] = 0;
                error.Scratch[5] = CapabilityCode.SafiUnicast;
                error.SetScratch(NotificationCode.OpenMessageError, NotificationCode.OpenUnsupportedCapability, 6);
                return OpenError.MissingIpv4UnicastCapability;
            }

            return OpenError.None;
        }
    }
}
