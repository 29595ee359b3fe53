namespace VpnAppliance.Bgp.Policy
{
    /// <summary>
    /// A prefix-list compiled into flat arrays for the UPDATE path (no allocation, no sorting per route): rules in
    /// number order, each matching prefixes inside Network/Length with a length in [Ge, Le] and, when
    /// RequireCommunity, carrying that COMMUNITIES value (RFC 1997). First match decides; no match = deny.
    /// </summary>
    public sealed class PrefixFilter
    {
        /// <summary>Name of the prefix-list it was compiled from.</summary>
        public readonly string Name;
        /// <summary>Rules in use.</summary>
        public readonly int Count;
        private readonly uint[] network;
        private readonly byte[] length;
        private readonly byte[] ge;
        private readonly byte[] le;
        private readonly bool[] permit;
        private readonly bool[] requireCommunity;
        private readonly uint[] community;

        /// <summary>Creates a filter with room for <paramref name="rules"/> rules (fill with Set).</summary>
        public PrefixFilter(string name, int rules)
        {
            Name = name;
            Count = rules;
            network = new uint[rules];
            length = new byte[rules];
            ge = new byte[rules];
            le = new byte[rules];
            permit = new bool[rules];
            requireCommunity = new bool[rules];
            community = new uint[rules];
        }

        /// <summary>True when some rule needs the route's communities.</summary>
        public bool HasCommunityRules;

        /// <summary>Sets rule <paramref name="index"/> (evaluation order).</summary>
        public void Set(int index, uint prefix, int prefixLength, int minLength, int maxLength, bool isPermit, bool needsCommunity, uint communityValue)
        {
            network[index] = prefix & Mask(prefixLength);
            length[index] = (byte)prefixLength;
            ge[index] = (byte)minLength;
            le[index] = (byte)maxLength;
            permit[index] = isPermit;
            requireCommunity[index] = needsCommunity;
            community[index] = communityValue;
            HasCommunityRules |= needsCommunity;
        }

        /// <summary>True when <paramref name="other"/> has the same rules (a reconfiguration that changed nothing).</summary>
        public bool SameRules(PrefixFilter other)
        {
            if (other == null || other.Count != Count || other.Name != Name)
            {
                return false;
            }

            for (int i = 0; i < Count; i++)
            {
                if (other.network[i] != network[i] || other.length[i] != length[i] || other.ge[i] != ge[i] || other.le[i] != le[i]
                    || other.permit[i] != permit[i] || other.requireCommunity[i] != requireCommunity[i] || other.community[i] != community[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A filter permitting every prefix (tests, "permit any").</summary>
        public static PrefixFilter PermitAll()
        {
            PrefixFilter f = new PrefixFilter("any", 1);
            f.Set(0, 0, 0, 0, 32, true, false, 0);
            return f;
        }

        /// <summary>
        /// Evaluates the list for <paramref name="address"/>/<paramref name="prefixLength"/> with the route's
        /// communities (<paramref name="communities"/>[0..communityCount), may be null): true = permit.
        /// </summary>
        public bool Permits(uint address, int prefixLength, uint[] communities, int communityOffset, int communityCount)
        {
            for (int i = 0; i < Count; i++)
            {
                if (prefixLength < length[i] || prefixLength < ge[i] || prefixLength > le[i])
                {
                    continue;
                }

                if ((address & Mask(length[i])) != network[i])
                {
                    continue;
                }

                if (requireCommunity[i] && !Contains(communities, communityOffset, communityCount, community[i]))
                {
                    continue;
                }

                return permit[i];
            }

            return false;
        }

        private static bool Contains(uint[] values, int offset, int count, uint value)
        {
            if (values == null)
            {
                return false;
            }

            for (int i = 0; i < count; i++)
            {
                if (values[offset + i] == value)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Network mask of <paramref name="prefixLength"/> bits (host order).</summary>
        public static uint Mask(int prefixLength)
        {
            return prefixLength <= 0 ? 0u : (prefixLength >= 32 ? 0xFFFFFFFFu : ~(0xFFFFFFFFu >> prefixLength));
        }
    }
}
