namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// Path attribute type codes and Attribute Flags (RFC 4271 §4.3, §5; MP_REACH/MP_UNREACH RFC 4760 §3-4;
    /// COMMUNITIES RFC 1997; ORIGINATOR_ID/CLUSTER_LIST RFC 4456; EXTENDED COMMUNITIES RFC 4360; AS4_PATH and
    /// AS4_AGGREGATOR RFC 6793; LARGE_COMMUNITY RFC 8092).
    /// </summary>
    public static class PathAttributeType
    {
        /// <summary>Flag: Optional (bit 0); clear = well-known.</summary>
        public const int FlagOptional = 0x80;
        /// <summary>Flag: Transitive (bit 1).</summary>
        public const int FlagTransitive = 0x40;
        /// <summary>Flag: Partial (bit 2).</summary>
        public const int FlagPartial = 0x20;
        /// <summary>Flag: Extended Length (bit 3): the length field has 2 octets.</summary>
        public const int FlagExtendedLength = 0x10;

        /// <summary>ORIGIN, well-known mandatory.</summary>
        public const int Origin = 1;
        /// <summary>AS_PATH, well-known mandatory.</summary>
        public const int AsPath = 2;
        /// <summary>NEXT_HOP, well-known mandatory (when the NLRI field is not empty).</summary>
        public const int NextHop = 3;
        /// <summary>MULTI_EXIT_DISC, optional non-transitive.</summary>
        public const int MultiExitDisc = 4;
        /// <summary>LOCAL_PREF, well-known (internal peers only).</summary>
        public const int LocalPref = 5;
        /// <summary>ATOMIC_AGGREGATE, well-known discretionary.</summary>
        public const int AtomicAggregate = 6;
        /// <summary>AGGREGATOR, optional transitive.</summary>
        public const int Aggregator = 7;
        /// <summary>COMMUNITIES, optional transitive (RFC 1997).</summary>
        public const int Communities = 8;
        /// <summary>ORIGINATOR_ID, optional non-transitive (RFC 4456).</summary>
        public const int OriginatorId = 9;
        /// <summary>CLUSTER_LIST, optional non-transitive (RFC 4456).</summary>
        public const int ClusterList = 10;
        /// <summary>MP_REACH_NLRI, optional non-transitive (RFC 4760 §3).</summary>
        public const int MpReachNlri = 14;
        /// <summary>MP_UNREACH_NLRI, optional non-transitive (RFC 4760 §4).</summary>
        public const int MpUnreachNlri = 15;
        /// <summary>EXTENDED COMMUNITIES, optional transitive (RFC 4360).</summary>
        public const int ExtendedCommunities = 16;
        /// <summary>AS4_PATH, optional transitive (RFC 6793).</summary>
        public const int As4Path = 17;
        /// <summary>AS4_AGGREGATOR, optional transitive (RFC 6793).</summary>
        public const int As4Aggregator = 18;
        /// <summary>LARGE_COMMUNITY, optional transitive (RFC 8092).</summary>
        public const int LargeCommunity = 32;

        /// <summary>ORIGIN values (RFC 4271 §4.3).</summary>
        public const int OriginIgp = 0;
        /// <summary>ORIGIN EGP.</summary>
        public const int OriginEgp = 1;
        /// <summary>ORIGIN INCOMPLETE.</summary>
        public const int OriginIncomplete = 2;

        /// <summary>True for the attribute types this codec decodes.</summary>
        public static bool IsKnown(int type)
        {
            return (type >= Origin && type <= ClusterList) || (type >= MpReachNlri && type <= As4Aggregator) || type == LargeCommunity;
        }

        /// <summary>Optional and Transitive bits a known attribute must carry (flags &amp; 0xC0), -1 for unknown types.</summary>
        public static int ExpectedFlags(int type)
        {
            switch (type)
            {
                case Origin:
                case AsPath:
                case NextHop:
                case LocalPref:
                case AtomicAggregate:
                    return FlagTransitive;
                case MultiExitDisc:
                case OriginatorId:
                case ClusterList:
                case MpReachNlri:
                case MpUnreachNlri:
                    return FlagOptional;
                case Aggregator:
                case Communities:
                case ExtendedCommunities:
                case As4Path:
                case As4Aggregator:
                case LargeCommunity:
                    return FlagOptional | FlagTransitive;
                default:
                    return -1;
            }
        }

        /// <summary>Protocol name of an attribute type, for logs.</summary>
        public static string Name(int type)
        {
            switch (type)
            {
                case Origin: return "ORIGIN";
                case AsPath: return "AS_PATH";
                case NextHop: return "NEXT_HOP";
                case MultiExitDisc: return "MULTI_EXIT_DISC";
                case LocalPref: return "LOCAL_PREF";
                case AtomicAggregate: return "ATOMIC_AGGREGATE";
                case Aggregator: return "AGGREGATOR";
                case Communities: return "COMMUNITIES";
                case OriginatorId: return "ORIGINATOR_ID";
                case ClusterList: return "CLUSTER_LIST";
                case MpReachNlri: return "MP_REACH_NLRI";
                case MpUnreachNlri: return "MP_UNREACH_NLRI";
                case ExtendedCommunities: return "EXTENDED COMMUNITIES";
                case As4Path: return "AS4_PATH";
                case As4Aggregator: return "AS4_AGGREGATOR";
                case LargeCommunity: return "LARGE_COMMUNITY";
                case 0: return "none";
                default: return "unrecognized attribute";
            }
        }
    }
}
