namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// One Proposal substructure (RFC 7296 §3.3.1) with up to <see cref="MaxTransforms"/> preallocated transforms.
    /// The SPI is 0 (IKE, initial), 4 (ESP/AH) or 8 (IKE rekey) octets and is kept in the low bits of a ulong.
    /// </summary>
    public sealed class IkeProposal
    {
        /// <summary>Most transforms kept per proposal; more is <see cref="IkeParseResult.TooMany"/>.</summary>
        public const int MaxTransforms = 48;
        /// <summary>Fixed part: Last, RESERVED, Length(2), Proposal Num, Protocol ID, SPI Size, Num Transforms.</summary>
        public const int FixedLength = 8;
        /// <summary>Last Substruc value for "more proposals follow" (RFC 7296 §3.3.1).</summary>
        public const byte MoreProposals = 2;
        /// <summary>Protocol ID 1: IKE (RFC 7296 §3.3.1).</summary>
        public const byte ProtocolIke = 1;
        /// <summary>Protocol ID 2: AH.</summary>
        public const byte ProtocolAh = 2;
        /// <summary>Protocol ID 3: ESP.</summary>
        public const byte ProtocolEsp = 3;

        /// <summary>Proposal Num (first is 1, RFC 7296 §3.3.1).</summary>
        public byte Number;
        /// <summary>Protocol ID (1 IKE, 2 AH, 3 ESP).</summary>
        public byte ProtocolId;
        /// <summary>SPI Size in octets (0, 4 or 8).</summary>
        public byte SpiSize;
        /// <summary>The SPI, big-endian, in the low <see cref="SpiSize"/> octets.</summary>
        public ulong Spi;
        /// <summary>Number of valid entries in <see cref="Transforms"/>.</summary>
        public int TransformCount;
        /// <summary>Preallocated transforms; entries past <see cref="TransformCount"/> are stale.</summary>
        public readonly IkeTransform[] Transforms;

        /// <summary>Creates a proposal with <see cref="MaxTransforms"/> transform slots.</summary>
        public IkeProposal() : this(MaxTransforms)
        {
        }

        /// <summary>
        /// Creates a proposal with <paramref name="transforms"/> slots (1..<see cref="MaxTransforms"/>): our own offers
        /// and answers need far fewer than a peer's offer (AWS sends ~24 in one proposal).
        /// </summary>
        public IkeProposal(int transforms)
        {
            if (transforms < 1 || transforms > MaxTransforms) transforms = MaxTransforms;
            Transforms = new IkeTransform[transforms];
            for (int i = 0; i < transforms; i++) Transforms[i] = new IkeTransform();
        }

        /// <summary>Memory of one proposal with <paramref name="transforms"/> slots (nanoFramework heap model).</summary>
        public static void Account(VpnAppliance.Core.MemoryBudget budget, int transforms)
        {
            budget.AddObject(6, 6 * 8);
            budget.AddReferenceArray(transforms);
            for (int i = 0; i < transforms; i++) budget.AddObject(5, 8);
        }

        /// <summary>Bytes this proposal takes when emitted.</summary>
        public int EmitLength
        {
            get
            {
                int n = FixedLength + SpiSize;
                for (int i = 0; i < TransformCount && i < Transforms.Length; i++) n += Transforms[i].EmitLength;
                return n;
            }
        }
    }
}
