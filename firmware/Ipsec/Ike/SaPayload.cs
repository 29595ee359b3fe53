using VpnAppliance.Wire;

namespace VpnAppliance.Ipsec.Ike
{
    // Security Association payload, RFC 7296 §3.3: after the generic header, a list of Proposal substructures
    // (§3.3.1), each with a list of Transform substructures (§3.3.2), each with attributes (§3.3.5):
    //
    //   Proposal:  | Last 0/2 | RSVD | Proposal Length (2) | Num | Protocol ID | SPI Size | #Transforms | SPI ... |
    //   Transform: | Last 0/3 | RSVD | Transform Length(2) | Type | RSVD | Transform ID (2) | Attributes ... |
    //   Attribute: | A | Type (15) | Value (2) (A=1, TV)  or  | 0 | Type | Length (2) | Value ... (TLV) |
    //
    // Lengths are checked at every level against the enclosing one; counts and Last Substruc must agree.

    /// <summary>The SA payload (RFC 7296 §3.3) in preallocated proposals and transforms.</summary>
    public sealed class SaPayload
    {
        /// <summary>Most proposals kept; more is <see cref="IkeParseResult.TooMany"/>.</summary>
        public const int MaxProposals = 8;

        /// <summary>Number of valid entries in <see cref="Proposals"/>.</summary>
        public int ProposalCount;
        /// <summary>Preallocated proposals; entries past <see cref="ProposalCount"/> are stale.</summary>
        public readonly IkeProposal[] Proposals;

        /// <summary>Creates an SA payload with all proposal slots allocated.</summary>
        public SaPayload() : this(MaxProposals, IkeProposal.MaxTransforms)
        {
        }

        /// <summary>A payload with <paramref name="proposals"/> proposals of <paramref name="transforms"/> transform slots each.</summary>
        public SaPayload(int proposals, int transforms)
        {
            if (proposals < 1 || proposals > MaxProposals) proposals = MaxProposals;
            Proposals = new IkeProposal[proposals];
            for (int i = 0; i < proposals; i++) Proposals[i] = new IkeProposal(transforms);
        }

        /// <summary>Memory of a payload made with (<paramref name="proposals"/>, <paramref name="transforms"/>).</summary>
        public static void Account(VpnAppliance.Core.MemoryBudget budget, int proposals, int transforms)
        {
            budget.AddObject(2, 16);
            budget.AddReferenceArray(proposals);
            for (int i = 0; i < proposals; i++) IkeProposal.Account(budget, transforms);
        }

        /// <summary>Parses the payload at buffer[offset..offset+length) (generic header included). Never throws.</summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            ProposalCount = 0;
            if (!IkePayloadChain.Fits(buffer, offset, length, length) || length < IkePayloadChain.GenericHeaderLength) return IkeParseResult.Truncated;
            int at = offset + IkePayloadChain.GenericHeaderLength;
            int end = offset + length;
            if (at == end) return IkeParseResult.InvalidSyntax;                          // §3.3: at least one proposal
            for (int guard = 0; guard <= Proposals.Length; guard++)
            {
                if (ProposalCount == Proposals.Length) return IkeParseResult.TooMany;
                if (end - at < IkeProposal.FixedLength) return IkeParseResult.Truncated;
                byte last = buffer[at];
                int proposalLength = NetworkByteOrder.ReadUInt16(buffer, at + 2);
                if (proposalLength < IkeProposal.FixedLength) return IkeParseResult.BadLength;
                if (proposalLength > end - at) return IkeParseResult.Truncated;
                IkeProposal p = Proposals[ProposalCount];
                IkeParseResult r = ParseProposal(p, buffer, at, proposalLength);
                if (r != IkeParseResult.Ok) return r;
                ProposalCount++;
                at += proposalLength;
                if (last == 0) return at == end ? IkeParseResult.Ok : IkeParseResult.BadLength;
                if (last != IkeProposal.MoreProposals) return IkeParseResult.InvalidSyntax;
                if (at == end) return IkeParseResult.Truncated;
            }
            return IkeParseResult.TooMany;
        }

        static IkeParseResult ParseProposal(IkeProposal p, byte[] buffer, int at, int proposalLength)
        {
            int end = at + proposalLength;
            p.Number = buffer[at + 4];
            p.ProtocolId = buffer[at + 5];
            p.SpiSize = buffer[at + 6];
            int count = buffer[at + 7];
            p.TransformCount = 0;
            p.Spi = 0;
            if (p.SpiSize > 8) return IkeParseResult.InvalidSyntax;
            if (p.SpiSize > proposalLength - IkeProposal.FixedLength) return IkeParseResult.Truncated;
            for (int i = 0; i < p.SpiSize; i++) p.Spi = (p.Spi << 8) | buffer[at + IkeProposal.FixedLength + i];
            if (count > p.Transforms.Length) return IkeParseResult.TooMany;
            int t = at + IkeProposal.FixedLength + p.SpiSize;
            for (int i = 0; i < count; i++)
            {
                if (end - t < IkeTransform.FixedLength) return IkeParseResult.Truncated;
                byte last = buffer[t];
                int transformLength = NetworkByteOrder.ReadUInt16(buffer, t + 2);
                if (transformLength < IkeTransform.FixedLength) return IkeParseResult.BadLength;
                if (transformLength > end - t) return IkeParseResult.Truncated;
                bool isLast = i == count - 1;
                if (last != (isLast ? 0 : IkeTransform.MoreTransforms)) return IkeParseResult.InvalidSyntax;
                IkeTransform x = p.Transforms[i];
                x.Type = buffer[t + 4];
                x.Id = NetworkByteOrder.ReadUInt16(buffer, t + 6);
                IkeParseResult r = ParseAttributes(x, buffer, t + IkeTransform.FixedLength, t + transformLength);
                if (r != IkeParseResult.Ok) return r;
                p.TransformCount++;
                t += transformLength;
            }
            return t == end ? IkeParseResult.Ok : IkeParseResult.BadLength;
        }

        static IkeParseResult ParseAttributes(IkeTransform x, byte[] buffer, int at, int end)
        {
            x.HasKeyLength = false;
            x.HasUnknownAttribute = false;
            x.KeyLength = 0;
            // Each attribute is at least 4 bytes, so the loop is bounded by the transform length (< 65536).
            while (at < end)
            {
                if (end - at < 4) return IkeParseResult.Truncated;
                int type = NetworkByteOrder.ReadUInt16(buffer, at);
                int value = NetworkByteOrder.ReadUInt16(buffer, at + 2);
                if ((type & IkeTransform.AttributeFormatTv) != 0)
                {
                    if ((type & 0x7FFF) == IkeTransform.AttributeKeyLength)
                    {
                        x.KeyLength = (ushort)value;
                        x.HasKeyLength = true;
                    }
                    else x.HasUnknownAttribute = true;
                    at += 4;
                }
                else
                {
                    // TLV: value is the length (§3.3.5). Key Length must be TV, so a TLV is always unknown.
                    if (value > end - at - 4) return IkeParseResult.Truncated;
                    x.HasUnknownAttribute = true;
                    at += 4 + value;
                }
            }
            return IkeParseResult.Ok;
        }

        /// <summary>Bytes the payload takes when emitted (generic header included).</summary>
        public int EmitLength
        {
            get
            {
                int n = IkePayloadChain.GenericHeaderLength;
                for (int i = 0; i < ProposalCount && i < Proposals.Length; i++) n += Proposals[i].EmitLength;
                return n;
            }
        }

        /// <summary>
        /// Writes the payload at buffer[offset] with Next Payload <paramref name="nextPayload"/>. Proposal numbers,
        /// Last Substruc values and all lengths are written from the fields. Returns the bytes written, 0 if they do
        /// not fit.
        /// </summary>
        public int Emit(byte[] buffer, int offset, int capacity, byte nextPayload)
        {
            int total = EmitLength;
            if (ProposalCount < 1 || ProposalCount > Proposals.Length || total > 0xFFFF) return 0;
            if (!IkePayloadChain.Fits(buffer, offset, capacity, total)) return 0;
            IkePayloadChain.WriteGenericHeader(buffer, offset, nextPayload, total);
            int at = offset + IkePayloadChain.GenericHeaderLength;
            for (int i = 0; i < ProposalCount; i++)
            {
                IkeProposal p = Proposals[i];
                if (p.TransformCount > p.Transforms.Length || p.SpiSize > 8) return 0;
                buffer[at] = i == ProposalCount - 1 ? (byte)0 : IkeProposal.MoreProposals;
                buffer[at + 1] = 0;
                NetworkByteOrder.WriteUInt16(buffer, at + 2, p.EmitLength);
                buffer[at + 4] = p.Number;
                buffer[at + 5] = p.ProtocolId;
                buffer[at + 6] = p.SpiSize;
                buffer[at + 7] = (byte)p.TransformCount;
                at += IkeProposal.FixedLength;
                for (int k = p.SpiSize - 1; k >= 0; k--) buffer[at++] = (byte)(p.Spi >> (8 * k));
                for (int j = 0; j < p.TransformCount; j++)
                {
                    IkeTransform x = p.Transforms[j];
                    buffer[at] = j == p.TransformCount - 1 ? (byte)0 : IkeTransform.MoreTransforms;
                    buffer[at + 1] = 0;
                    NetworkByteOrder.WriteUInt16(buffer, at + 2, x.EmitLength);
                    buffer[at + 4] = x.Type;
                    buffer[at + 5] = 0;
                    NetworkByteOrder.WriteUInt16(buffer, at + 6, x.Id);
                    at += IkeTransform.FixedLength;
                    if (x.HasKeyLength)
                    {
                        NetworkByteOrder.WriteUInt16(buffer, at, IkeTransform.AttributeFormatTv | IkeTransform.AttributeKeyLength);
                        NetworkByteOrder.WriteUInt16(buffer, at + 2, x.KeyLength);
                        at += 4;
                    }
                }
            }
            return total;
        }
    }
}
