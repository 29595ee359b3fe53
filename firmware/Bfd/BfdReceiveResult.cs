namespace VpnAppliance.Bfd
{
    /// <summary>
    /// What became of a received BFD Control packet: accepted, or the RFC 5880 §6.8.6 / RFC 5881 §5 rule that
    /// discarded it. The codec (<see cref="BfdControlPacket.Parse"/>) returns the packet-level ones, the engine
    /// the session-level ones. The engine counts every value (<see cref="BfdCounters.Discards"/>).
    /// </summary>
    public enum BfdReceiveResult
    {
        /// <summary>Accepted: the session's remote variables, timers and state were updated.</summary>
        Accepted = 0,

        /// <summary>The buffer window is invalid (null buffer, negative offset or length, beyond the array).</summary>
        OutOfRange = 1,

        /// <summary>Fewer than 24 bytes of UDP payload (the mandatory section).</summary>
        Truncated = 2,

        /// <summary>Version is not 1 (§6.8.6).</summary>
        BadVersion = 3,

        /// <summary>Length field below 24 (26 with the A bit) or above the UDP payload (§6.8.6).</summary>
        BadLength = 4,

        /// <summary>Detect Mult is zero (§6.8.6).</summary>
        ZeroDetectMult = 5,

        /// <summary>Multipoint (M) bit set (§6.8.6).</summary>
        Multipoint = 6,

        /// <summary>My Discriminator is zero (§6.8.6).</summary>
        ZeroMyDiscriminator = 7,

        /// <summary>Your Discriminator is zero while State is neither Down nor AdminDown (§6.8.6).</summary>
        ZeroYourDiscriminator = 8,

        /// <summary>Authentication Present (A) bit set: no authentication is configured here, so discard (§6.8.6).</summary>
        AuthenticationPresent = 9,

        /// <summary>IP TTL is not 255 (RFC 5881 §5, the GTSM rule for single-hop sessions).</summary>
        BadTtl = 10,

        /// <summary>No session matches Your Discriminator, or (when it is zero) the interface and addresses (§6.8.6).</summary>
        NoSession = 11,

        /// <summary>Your Discriminator names a session of another interface or peer address (RFC 5881 §3 demultiplexing).</summary>
        WrongSession = 12,

        /// <summary>The session is AdminDown: the remote variables were recorded, the packet then discarded (§6.8.6).</summary>
        AdminDown = 13,
    }

    /// <summary>Names and count of <see cref="BfdReceiveResult"/> values (counters, <c>show bfd</c>).</summary>
    public static class BfdReceiveResults
    {
        /// <summary>Number of values (they are 0..Count-1).</summary>
        public const int Count = 14;

        private static readonly string[] s_names = new string[]
        {
            "accepted", "out-of-range", "truncated", "bad-version", "bad-length", "zero-detect-mult", "multipoint",
            "zero-my-discriminator", "zero-your-discriminator", "authentication-present", "bad-ttl", "no-session",
            "wrong-session", "admin-down",
        };

        /// <summary>Kebab-case name of a result for the CLI.</summary>
        public static string Name(BfdReceiveResult result)
        {
            int i = (int)result;
            return i >= 0 && i < s_names.Length ? s_names[i] : "unknown";
        }
    }
}
