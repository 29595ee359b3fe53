namespace VpnAppliance.Config
{
    /// <summary>
    /// One single-hop BFD session (RFC 5880 asynchronous mode, RFC 5881) with a directly connected peer: a tunnel's
    /// inside peer address (or a LAN host). A BGP neighbour with the same address follows the session's state.
    /// </summary>
    public sealed class BfdPeer
    {
        /// <summary>Default transmit and receive interval, ms (the engine's and FRR's/BIRD's default).</summary>
        public const int DefaultIntervalMs = 300;
        /// <summary>Default detect multiplier.</summary>
        public const int DefaultMultiplier = 3;
        /// <summary>Smallest interval, ms.</summary>
        public const int MinIntervalMs = 10;
        /// <summary>Largest interval, ms.</summary>
        public const int MaxIntervalMs = 60000;

        /// <summary>The peer's address.</summary>
        public uint Address;
        /// <summary>First line mentioning it.</summary>
        public int Line;
        /// <summary>Desired min TX interval, ms.</summary>
        public int TransmitMs = DefaultIntervalMs;
        /// <summary>Required min RX interval, ms.</summary>
        public int ReceiveMs = DefaultIntervalMs;
        /// <summary>Detect multiplier 1..255.</summary>
        public int Multiplier = DefaultMultiplier;
        /// <summary>Our address for the session; 0 = our address on the peer's subnet.</summary>
        public uint Source;
        /// <summary>Line of the source statement.</summary>
        public int SourceLine;
        /// <summary>True: held AdminDown (RFC 5880 §6.8.16).</summary>
        public bool Shutdown;

        /// <summary>Creates a peer with the defaults.</summary>
        public BfdPeer(uint address, int line) { Address = address; Line = line; }

        /// <summary>Structural equality.</summary>
        public bool SameAs(BfdPeer o)
        {
            return o.Address == Address && o.TransmitMs == TransmitMs && o.ReceiveMs == ReceiveMs && o.Multiplier == Multiplier
                && o.Source == Source && o.Shutdown == Shutdown;
        }
    }
}
