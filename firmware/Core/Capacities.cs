namespace VpnAppliance.Core
{
    /// <summary>
    /// How many of each thing the firmware preallocates. Comes from the board profile
    /// (boards/&lt;board&gt;/board.json; on the device from the generated BoardProfile.g.cs).
    /// Every pool in the firmware is sized from one of these fields and nothing else; a full pool is a
    /// typed, counted result, never an allocation.
    /// </summary>
    public sealed class Capacities
    {
        /// <summary>IPv4 prefixes in the FIB.</summary>
        public int Routes;
        /// <summary>
        /// Full trie nodes the FIB's word pool holds with all routes present (pool = 3 x TrieNodes +
        /// Routes + 48 words); FibSizing.TrieNodesFor(routes) gives the measured rule 0.4 x routes + 64.
        /// </summary>
        public int TrieNodes;
        /// <summary>
        /// Width in bits of the FIB's direct-indexed root (2^bits root slots). With stride 4 below it,
        /// 5 (up to ~20k routes) or 13 measure best; 8, 12 and 16 make every /24 need its own node.
        /// </summary>
        public int FibRootBits;
        /// <summary>ECMP next-hop groups.</summary>
        public int NextHopGroups;
        /// <summary>Paths (members) per next-hop group.</summary>
        public int PathsPerGroup;
        /// <summary>BGP neighbours.</summary>
        public int BgpPeers;
        /// <summary>BGP paths held across all Adj-RIBs-In.</summary>
        public int BgpPaths;
        /// <summary>IKE SAs (one per connection, plus room for a rekey in flight each).</summary>
        public int IkeSas;
        /// <summary>CHILD SA pairs.</summary>
        public int ChildSas;
        /// <summary>Tunnel interfaces (connections).</summary>
        public int Tunnels;
        /// <summary>Packet buffers in the packet pool.</summary>
        public int PacketBuffers;
        /// <summary>Bytes per packet buffer (Ethernet frame + ESP/UDP/IP overhead).</summary>
        public int PacketBufferSize;
        /// <summary>ARP cache entries.</summary>
        public int ArpEntries;
        /// <summary>TCP connections of the compact TCP (BGP sessions + listeners).</summary>
        public int TcpConnections;
        /// <summary>Bytes of send and of receive buffer per TCP connection.</summary>
        public int TcpBufferSize;
        /// <summary>Lines kept in the log ring (<c>show log</c>).</summary>
        public int LogLines;
        /// <summary>Appliance-level timers (keepalives, commit-confirm, retries).</summary>
        public int Timers;

        /// <summary>Names of the fields in board.json's "capacities" object, in declaration order.</summary>
        public static readonly string[] FieldNames = new string[]
        {
            "routes", "trieNodes", "fibRootBits", "nextHopGroups", "pathsPerGroup", "bgpPeers", "bgpPaths",
            "ikeSas", "childSas", "tunnels", "packetBuffers", "packetBufferSize", "arpEntries",
            "tcpConnections", "tcpBufferSize", "logLines", "timers",
        };

        /// <summary>Value of a field by its board.json name; -1 for an unknown name.</summary>
        public int Get(string name)
        {
            switch (name)
            {
                case "routes": return Routes;
                case "trieNodes": return TrieNodes;
                case "fibRootBits": return FibRootBits;
                case "nextHopGroups": return NextHopGroups;
                case "pathsPerGroup": return PathsPerGroup;
                case "bgpPeers": return BgpPeers;
                case "bgpPaths": return BgpPaths;
                case "ikeSas": return IkeSas;
                case "childSas": return ChildSas;
                case "tunnels": return Tunnels;
                case "packetBuffers": return PacketBuffers;
                case "packetBufferSize": return PacketBufferSize;
                case "arpEntries": return ArpEntries;
                case "tcpConnections": return TcpConnections;
                case "tcpBufferSize": return TcpBufferSize;
                case "logLines": return LogLines;
                case "timers": return Timers;
                default: return -1;
            }
        }

        /// <summary>Sets a field by its board.json name; false for an unknown name.</summary>
        public bool Set(string name, int value)
        {
            switch (name)
            {
                case "routes": Routes = value; return true;
                case "trieNodes": TrieNodes = value; return true;
                case "fibRootBits": FibRootBits = value; return true;
                case "nextHopGroups": NextHopGroups = value; return true;
                case "pathsPerGroup": PathsPerGroup = value; return true;
                case "bgpPeers": BgpPeers = value; return true;
                case "bgpPaths": BgpPaths = value; return true;
                case "ikeSas": IkeSas = value; return true;
                case "childSas": ChildSas = value; return true;
                case "tunnels": Tunnels = value; return true;
                case "packetBuffers": PacketBuffers = value; return true;
                case "packetBufferSize": PacketBufferSize = value; return true;
                case "arpEntries": ArpEntries = value; return true;
                case "tcpConnections": TcpConnections = value; return true;
                case "tcpBufferSize": TcpBufferSize = value; return true;
                case "logLines": LogLines = value; return true;
                case "timers": Timers = value; return true;
                default: return false;
            }
        }

        /// <summary>
        /// Checks every field is in a sane range; returns null when valid, else the name of the first
        /// offending field and its allowed range.
        /// </summary>
        public string Validate()
        {
            for (int i = 0; i < FieldNames.Length; i++)
            {
                string name = FieldNames[i];
                int v = Get(name);
                // bgpPeers/bgpPaths 0: a board without BGP (static routing only, e.g. the small ESP32 profile).
                bool optional = name == "bgpPeers" || name == "bgpPaths";
                int min = name == "fibRootBits" ? 4 : (name == "packetBufferSize" ? 1600 : (optional ? 0 : 1));
                int max = name == "fibRootBits" ? 24 : (name == "packetBufferSize" ? 9216 : 1 << 24);
                if (v < min || v > max)
                {
                    return name + " must be in " + min.ToString() + ".." + max.ToString() + " (is " + v.ToString() + ")";
                }
            }

            if (PathsPerGroup > 64)
            {
                return "pathsPerGroup must be in 1..64 (is " + PathsPerGroup.ToString() + ")";
            }

            // Group ids are stored in 16 bits in the FIB's result words.
            if (NextHopGroups > 65535)
            {
                return "nextHopGroups must be in 1..65535 (is " + NextHopGroups.ToString() + ")";
            }

            return null;
        }
    }
}
