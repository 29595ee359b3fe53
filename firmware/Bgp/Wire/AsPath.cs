namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// An AS path held as segments over one flat array of 4-octet ASes (RFC 4271 §4.3 AS_PATH, RFC 6793 widths
    /// are a wire matter: this type always holds 4-octet values). Segment types: AS_SET 1, AS_SEQUENCE 2,
    /// AS_CONFED_SEQUENCE 3, AS_CONFED_SET 4 (RFC 5065 §3). Capacities are fixed at construction; Append
    /// returns false when full.
    /// </summary>
    public sealed class AsPath
    {
        /// <summary>AS_SET (RFC 4271 §4.3).</summary>
        public const int AsSet = 1;
        /// <summary>AS_SEQUENCE (RFC 4271 §4.3).</summary>
        public const int AsSequence = 2;
        /// <summary>AS_CONFED_SEQUENCE (RFC 5065 §3).</summary>
        public const int AsConfedSequence = 3;
        /// <summary>AS_CONFED_SET (RFC 5065 §3).</summary>
        public const int AsConfedSet = 4;
        /// <summary>Most ASes in one wire segment (the Path Segment Length octet).</summary>
        public const int MaxSegmentLength = 255;

        /// <summary>All ASes, segment after segment.</summary>
        public readonly uint[] Asns;
        /// <summary>Type of each segment.</summary>
        public readonly byte[] SegmentType;
        /// <summary>Index in Asns of each segment's first AS.</summary>
        public readonly int[] SegmentStart;
        /// <summary>Number of ASes in each segment.</summary>
        public readonly int[] SegmentLength;
        /// <summary>Segments in use.</summary>
        public int SegmentCount;
        /// <summary>ASes in use.</summary>
        public int AsnCount;

        /// <summary>Creates a path holding up to <paramref name="asnCapacity"/> ASes in up to <paramref name="segmentCapacity"/> segments.</summary>
        public AsPath(int asnCapacity, int segmentCapacity)
        {
            Asns = new uint[asnCapacity];
            SegmentType = new byte[segmentCapacity];
            SegmentStart = new int[segmentCapacity];
            SegmentLength = new int[segmentCapacity];
        }

        /// <summary>Empties the path.</summary>
        public void Clear()
        {
            SegmentCount = 0;
            AsnCount = 0;
        }

        /// <summary>True for the four segment types.</summary>
        public static bool IsValidSegmentType(int type)
        {
            return type >= AsSet && type <= AsConfedSet;
        }

        /// <summary>Opens a new, empty segment of <paramref name="type"/>; false when the segment capacity is full.</summary>
        public bool BeginSegment(int type)
        {
            if (SegmentCount >= SegmentType.Length)
            {
                return false;
            }

            SegmentType[SegmentCount] = (byte)type;
            SegmentStart[SegmentCount] = AsnCount;
            SegmentLength[SegmentCount] = 0;
            SegmentCount++;
            return true;
        }

        /// <summary>Adds <paramref name="asn"/> to the last segment; false when the AS capacity is full or no segment is open.</summary>
        public bool Append(uint asn)
        {
            if (AsnCount >= Asns.Length || SegmentCount == 0)
            {
                return false;
            }

            Asns[AsnCount++] = asn;
            SegmentLength[SegmentCount - 1]++;
            return true;
        }

        /// <summary>
        /// Prepends <paramref name="asn"/> as a sender does on export to an external peer (RFC 4271 §5.1.2): into
        /// a leading AS_SEQUENCE (a new one if the path starts otherwise or that segment is full).
        /// False when full.
        /// </summary>
        public bool Prepend(uint asn)
        {
            if (AsnCount >= Asns.Length)
            {
                return false;
            }

            bool newSegment = SegmentCount == 0 || SegmentType[0] != AsSequence || SegmentLength[0] >= MaxSegmentLength;
            if (newSegment && SegmentCount >= SegmentType.Length)
            {
                return false;
            }

            for (int i = AsnCount; i > 0; i--)
            {
                Asns[i] = Asns[i - 1];
            }

            Asns[0] = asn;
            AsnCount++;
            if (newSegment)
            {
                for (int i = SegmentCount; i > 0; i--)
                {
                    SegmentType[i] = SegmentType[i - 1];
                    SegmentStart[i] = SegmentStart[i - 1] + 1;
                    SegmentLength[i] = SegmentLength[i - 1];
                }

                SegmentType[0] = AsSequence;
                SegmentStart[0] = 0;
                SegmentLength[0] = 1;
                SegmentCount++;
            }
            else
            {
                SegmentLength[0]++;
                for (int i = 1; i < SegmentCount; i++)
                {
                    SegmentStart[i]++;
                }
            }

            return true;
        }

        /// <summary>
        /// Path length for route selection and RFC 6793 §4.2.3: an AS_SET counts 1, an AS_SEQUENCE its ASes,
        /// confederation segments 0 (RFC 4271 §9.1.2.2 a, RFC 5065 §5.3).
        /// </summary>
        public int PathLength()
        {
            int n = 0;
            for (int i = 0; i < SegmentCount; i++)
            {
                int type = SegmentType[i];
                if (type == AsSequence)
                {
                    n += SegmentLength[i];
                }
                else if (type == AsSet)
                {
                    n += 1;
                }
            }

            return n;
        }

        /// <summary>The leftmost AS when the path starts with an AS_SEQUENCE, else 0 (RFC 4271 §6.3 first-AS check).</summary>
        public uint FirstAs()
        {
            if (SegmentCount == 0 || SegmentType[0] != AsSequence || SegmentLength[0] == 0)
            {
                return 0;
            }

            return Asns[SegmentStart[0]];
        }

        /// <summary>True when any segment is AS_CONFED_SEQUENCE or AS_CONFED_SET.</summary>
        public bool HasConfedSegments()
        {
            for (int i = 0; i < SegmentCount; i++)
            {
                if (SegmentType[i] == AsConfedSequence || SegmentType[i] == AsConfedSet)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>True when any AS (outside confederation segments) needs 4 octets, i.e. the path needs AS4_PATH toward a 2-octet peer (RFC 6793 §4.2.2).</summary>
        public bool NeedsFourOctets()
        {
            for (int s = 0; s < SegmentCount; s++)
            {
                if (SegmentType[s] == AsConfedSequence || SegmentType[s] == AsConfedSet)
                {
                    continue;
                }

                int end = SegmentStart[s] + SegmentLength[s];
                for (int i = SegmentStart[s]; i < end; i++)
                {
                    if (Asns[i] > 0xFFFF)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        /// <summary>True when <paramref name="asn"/> appears anywhere (loop detection, RFC 4271 §9.1.2).</summary>
        public bool Contains(uint asn)
        {
            for (int i = 0; i < AsnCount; i++)
            {
                if (Asns[i] == asn)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Copies <paramref name="other"/> into this path; false (and this path cleared) when it does not fit.</summary>
        public bool CopyFrom(AsPath other)
        {
            Clear();
            if (other.AsnCount > Asns.Length || other.SegmentCount > SegmentType.Length)
            {
                return false;
            }

            System.Array.Copy(other.Asns, 0, Asns, 0, other.AsnCount);
            for (int i = 0; i < other.SegmentCount; i++)
            {
                SegmentType[i] = other.SegmentType[i];
                SegmentStart[i] = other.SegmentStart[i];
                SegmentLength[i] = other.SegmentLength[i];
            }

            SegmentCount = other.SegmentCount;
            AsnCount = other.AsnCount;
            return true;
        }

        /// <summary>True when both paths have the same segments and ASes.</summary>
        public bool SameAs(AsPath other)
        {
            if (other.SegmentCount != SegmentCount || other.AsnCount != AsnCount)
            {
                return false;
            }

            for (int i = 0; i < SegmentCount; i++)
            {
                if (SegmentType[i] != other.SegmentType[i] || SegmentLength[i] != other.SegmentLength[i])
                {
                    return false;
                }
            }

            for (int i = 0; i < AsnCount; i++)
            {
                if (Asns[i] != other.Asns[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
