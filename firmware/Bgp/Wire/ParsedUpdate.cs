namespace VpnAppliance.Bgp.Wire
{
    /// <summary>
    /// One UPDATE in decoded form, in fixed preallocated arrays (no allocation per message). The decoder fills
    /// it; the encoder writes it; the RIB reads it; tests and the export path build it with the Add/Set methods.
    /// <list type="bullet">
    /// <item>Prefixes of all four sections share one pool; PrefixSection tags each (order within a section is kept).</item>
    /// <item>Path attributes: presence bits by type code, then one field per known attribute. AsPath holds the
    /// true 4-octet path (on 2-octet sessions already rebuilt from AS4_PATH, RFC 6793 §4.2.3).</item>
    /// <item>Optional transitive attributes this speaker does not interpret are kept verbatim (header included,
    /// Partial bit set for unrecognized ones, RFC 4271 §5) to be passed on.</item>
    /// </list>
    /// </summary>
    public sealed class ParsedUpdate
    {
        /// <summary>Capacities this object was built with.</summary>
        public readonly UpdateCapacities Capacities;

        /// <summary>Prefixes in the pool.</summary>
        public int PrefixCount;
        /// <summary>Prefix address (host order; bits beyond the length are zero).</summary>
        public readonly uint[] PrefixAddress;
        /// <summary>Prefix length 0..32.</summary>
        public readonly byte[] PrefixLength;
        /// <summary>PrefixSection of each prefix.</summary>
        public readonly byte[] PrefixSectionOf;
        /// <summary>Prefixes per PrefixSection value.</summary>
        public readonly int[] SectionCount = new int[4];

        /// <summary>Presence bit per attribute type code below 64 (bit n = type n).</summary>
        public ulong Present;

        /// <summary>ORIGIN value.</summary>
        public int Origin;
        /// <summary>AS path (AS_PATH, rebuilt with AS4_PATH on 2-octet sessions).</summary>
        public readonly AsPath AsPath;
        /// <summary>NEXT_HOP (host order).</summary>
        public uint NextHop;
        /// <summary>MULTI_EXIT_DISC.</summary>
        public uint Med;
        /// <summary>LOCAL_PREF.</summary>
        public uint LocalPref;
        /// <summary>AGGREGATOR AS (4-octet; on 2-octet sessions replaced by AS4_AGGREGATOR per RFC 6793 §4.2.3).</summary>
        public uint AggregatorAs;
        /// <summary>AGGREGATOR address.</summary>
        public uint AggregatorAddress;

        /// <summary>COMMUNITIES values in use.</summary>
        public int CommunityCount;
        /// <summary>COMMUNITIES values (RFC 1997).</summary>
        public readonly uint[] Communities;
        /// <summary>LARGE_COMMUNITY values in use.</summary>
        public int LargeCommunityCount;
        /// <summary>LARGE_COMMUNITY values, 3 words each: Global Administrator, Local Data Part 1, Part 2 (RFC 8092 §3).</summary>
        public readonly uint[] LargeCommunities;

        /// <summary>Next hop of MP_REACH_NLRI (IPv4 unicast, 4 octets; RFC 4760 §3).</summary>
        public uint MpNextHop;

        /// <summary>The UPDATE is an End-of-RIB marker (RFC 4724 §2).</summary>
        public bool EndOfRib;
        /// <summary>AFI of the End-of-RIB marker (1 for the empty UPDATE).</summary>
        public int EndOfRibAfi;
        /// <summary>SAFI of the End-of-RIB marker.</summary>
        public int EndOfRibSafi;

        /// <summary>Optional transitive attributes kept verbatim.</summary>
        public int TransitCount;
        /// <summary>Octets used in TransitBytes.</summary>
        public int TransitLength;
        /// <summary>Kept attributes back to back, each with its flags/type/length header.</summary>
        public readonly byte[] TransitBytes;
        /// <summary>Offset of each kept attribute in TransitBytes.</summary>
        public readonly int[] TransitOffset;
        /// <summary>Type code of each kept attribute.</summary>
        public readonly byte[] TransitType;

        /// <summary>Creates an update with <paramref name="capacities"/> (defaults when null).</summary>
        public ParsedUpdate(UpdateCapacities capacities)
        {
            if (capacities == null)
            {
                capacities = new UpdateCapacities();
            }

            Capacities = capacities;
            PrefixAddress = new uint[capacities.Prefixes];
            PrefixLength = new byte[capacities.Prefixes];
            PrefixSectionOf = new byte[capacities.Prefixes];
            AsPath = new AsPath(capacities.AsPathAsns, capacities.AsPathSegments);
            Communities = new uint[capacities.Communities];
            LargeCommunities = new uint[capacities.LargeCommunities * 3];
            TransitBytes = new byte[capacities.TransitOctets];
            TransitOffset = new int[capacities.TransitAttributes];
            TransitType = new byte[capacities.TransitAttributes];
        }

        /// <summary>Empties everything.</summary>
        public void Clear()
        {
            PrefixCount = 0;
            SectionCount[0] = 0;
            SectionCount[1] = 0;
            SectionCount[2] = 0;
            SectionCount[3] = 0;
            Present = 0;
            Origin = 0;
            AsPath.Clear();
            NextHop = 0;
            Med = 0;
            LocalPref = 0;
            AggregatorAs = 0;
            AggregatorAddress = 0;
            CommunityCount = 0;
            LargeCommunityCount = 0;
            MpNextHop = 0;
            EndOfRib = false;
            EndOfRibAfi = 0;
            EndOfRibSafi = 0;
            TransitCount = 0;
            TransitLength = 0;
        }

        /// <summary>Empties the path attributes and keeps the prefixes (builders reusing one object for several attribute sets).</summary>
        public void ClearAttributes()
        {
            Present = 0;
            AsPath.Clear();
            CommunityCount = 0;
            LargeCommunityCount = 0;
            MpNextHop = 0;
            TransitCount = 0;
            TransitLength = 0;
        }

        /// <summary>True when prefix <paramref name="index"/> is announced (NLRI or MP_REACH_NLRI), false when withdrawn.</summary>
        public bool IsAnnounced(int index)
        {
            return PrefixSection.IsAnnouncement(PrefixSectionOf[index]);
        }

        /// <summary>True when the attribute <paramref name="type"/> is present.</summary>
        public bool Has(int type)
        {
            return type >= 0 && type < 64 && (Present & (1UL << type)) != 0;
        }

        /// <summary>Marks attribute <paramref name="type"/> present.</summary>
        public void SetPresent(int type)
        {
            if (type >= 0 && type < 64)
            {
                Present |= 1UL << type;
            }
        }

        /// <summary>Marks attribute <paramref name="type"/> absent.</summary>
        public void SetAbsent(int type)
        {
            if (type >= 0 && type < 64)
            {
                Present &= ~(1UL << type);
            }
        }

        /// <summary>Prefixes withdrawn in the Withdrawn Routes field.</summary>
        public int WithdrawnCount { get { return SectionCount[PrefixSection.Withdrawn]; } }
        /// <summary>Prefixes announced in the NLRI field.</summary>
        public int NlriCount { get { return SectionCount[PrefixSection.Nlri]; } }
        /// <summary>Prefixes withdrawn in MP_UNREACH_NLRI.</summary>
        public int MpUnreachCount { get { return SectionCount[PrefixSection.MpUnreach]; } }
        /// <summary>Prefixes announced in MP_REACH_NLRI.</summary>
        public int MpReachCount { get { return SectionCount[PrefixSection.MpReach]; } }
        /// <summary>All announced prefixes (NLRI and MP_REACH).</summary>
        public int AnnouncedCount { get { return NlriCount + MpReachCount; } }

        /// <summary>Adds a prefix to <paramref name="section"/>; host bits are cleared (RFC 4271 §4.3). False when full or length &gt; 32.</summary>
        public bool AddPrefix(byte section, uint address, int length)
        {
            if (PrefixCount >= PrefixAddress.Length || length < 0 || length > 32 || section > PrefixSection.MpReach)
            {
                return false;
            }

            PrefixAddress[PrefixCount] = address & Ipv4PrefixCodec.Mask(length);
            PrefixLength[PrefixCount] = (byte)length;
            PrefixSectionOf[PrefixCount] = section;
            PrefixCount++;
            SectionCount[section]++;
            return true;
        }

        /// <summary>Sets ORIGIN.</summary>
        public void SetOrigin(int origin)
        {
            Origin = origin;
            SetPresent(PathAttributeType.Origin);
        }

        /// <summary>Sets NEXT_HOP.</summary>
        public void SetNextHop(uint nextHop)
        {
            NextHop = nextHop;
            SetPresent(PathAttributeType.NextHop);
        }

        /// <summary>Sets MULTI_EXIT_DISC.</summary>
        public void SetMed(uint med)
        {
            Med = med;
            SetPresent(PathAttributeType.MultiExitDisc);
        }

        /// <summary>Sets LOCAL_PREF.</summary>
        public void SetLocalPref(uint localPref)
        {
            LocalPref = localPref;
            SetPresent(PathAttributeType.LocalPref);
        }

        /// <summary>Sets AGGREGATOR.</summary>
        public void SetAggregator(uint asn, uint address)
        {
            AggregatorAs = asn;
            AggregatorAddress = address;
            SetPresent(PathAttributeType.Aggregator);
        }

        /// <summary>Adds a COMMUNITIES value; false when full.</summary>
        public bool AddCommunity(uint community)
        {
            if (CommunityCount >= Communities.Length)
            {
                return false;
            }

            Communities[CommunityCount++] = community;
            SetPresent(PathAttributeType.Communities);
            return true;
        }

        /// <summary>True when COMMUNITIES contains <paramref name="community"/> (e.g. WellKnownCommunity.NoExport).</summary>
        public bool HasCommunity(uint community)
        {
            for (int i = 0; i < CommunityCount; i++)
            {
                if (Communities[i] == community)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Adds a LARGE_COMMUNITY value; false when full.</summary>
        public bool AddLargeCommunity(uint globalAdministrator, uint localData1, uint localData2)
        {
            if (LargeCommunityCount * 3 >= LargeCommunities.Length)
            {
                return false;
            }

            int i = LargeCommunityCount * 3;
            LargeCommunities[i] = globalAdministrator;
            LargeCommunities[i + 1] = localData1;
            LargeCommunities[i + 2] = localData2;
            LargeCommunityCount++;
            SetPresent(PathAttributeType.LargeCommunity);
            return true;
        }

        /// <summary>
        /// Keeps an optional transitive attribute verbatim (flags, type, length, value from buffer[offset..offset+length)),
        /// ORing <paramref name="extraFlags"/> into its flags (the Partial bit for unrecognized ones, RFC 4271 §5).
        /// False when TransitBytes or TransitOffset is full.
        /// </summary>
        public bool AddTransit(byte[] buffer, int offset, int length, int extraFlags)
        {
            if (TransitCount >= TransitOffset.Length || length > TransitBytes.Length - TransitLength || length < 3)
            {
                return false;
            }

            System.Array.Copy(buffer, offset, TransitBytes, TransitLength, length);
            TransitBytes[TransitLength] = (byte)(TransitBytes[TransitLength] | extraFlags);
            TransitOffset[TransitCount] = TransitLength;
            TransitType[TransitCount] = buffer[offset + 1];
            TransitLength += length;
            TransitCount++;
            return true;
        }

        /// <summary>Length of kept attribute <paramref name="index"/> (header included).</summary>
        public int TransitAttributeLength(int index)
        {
            int end = index + 1 < TransitCount ? TransitOffset[index + 1] : TransitLength;
            return end - TransitOffset[index];
        }
    }
}
