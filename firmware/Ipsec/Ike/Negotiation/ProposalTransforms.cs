namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Transform look-ups inside one proposal (RFC 7296 §3.3.2, §3.3.6) shared by the builder and the selector.
    /// Bounded by <see cref="IkeProposal.TransformCount"/>; no allocation.
    /// </summary>
    internal static class ProposalTransforms
    {
        /// <summary>Highest Transform Type RFC 7296 defines (5, ESN).</summary>
        internal const byte LastKnownType = IkeTransform.TypeEsn;

        /// <summary>
        /// Index of the first usable transform of <paramref name="type"/> with <paramref name="id"/> (and Key Length
        /// <paramref name="keyBits"/> when non-zero; with 0 the transform must carry no Key Length), or -1. A transform
        /// with an attribute we do not understand is unusable (§3.3.6) and skipped.
        /// </summary>
        internal static int Find(IkeProposal p, byte type, int id, int keyBits)
        {
            int n = Count(p);
            for (int i = 0; i < n; i++)
            {
                IkeTransform t = p.Transforms[i];
                if (t.Type != type || t.Id != id || t.HasUnknownAttribute) continue;
                if (keyBits != 0 ? (!t.HasKeyLength || t.KeyLength != keyBits) : t.HasKeyLength) continue;
                return i;
            }
            return -1;
        }

        /// <summary>True when the proposal has any transform of <paramref name="type"/>.</summary>
        internal static bool HasType(IkeProposal p, byte type)
        {
            int n = Count(p);
            for (int i = 0; i < n; i++) if (p.Transforms[i].Type == type) return true;
            return false;
        }

        /// <summary>
        /// True when the proposal carries a Transform Type we do not understand: §3.3.6 makes the whole proposal
        /// unacceptable (other proposals are still processed).
        /// </summary>
        internal static bool HasUnknownType(IkeProposal p)
        {
            int n = Count(p);
            for (int i = 0; i < n; i++)
            {
                byte type = p.Transforms[i].Type;
                if (type == 0 || type > LastKnownType) return true;
            }
            return false;
        }

        /// <summary>Appends a transform to <paramref name="p"/>; false when its slots are full.</summary>
        internal static bool Add(IkeProposal p, byte type, int id, int keyBits)
        {
            if (p.TransformCount >= p.Transforms.Length) return false;
            p.Transforms[p.TransformCount].Set(type, (ushort)id, (ushort)keyBits);
            p.TransformCount++;
            return true;
        }

        /// <summary>Resets <paramref name="p"/> to an empty proposal.</summary>
        internal static void Start(IkeProposal p, int number, byte protocol, int spiSize, ulong spi)
        {
            p.Number = (byte)number;
            p.ProtocolId = protocol;
            p.SpiSize = (byte)spiSize;
            p.Spi = spiSize == 0 ? 0 : spi;
            p.TransformCount = 0;
        }

        static int Count(IkeProposal p)
        {
            int n = p.TransformCount;
            return n > IkeProposal.MaxTransforms ? IkeProposal.MaxTransforms : n;
        }
    }
}
