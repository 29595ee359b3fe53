namespace VpnAppliance.Ipsec.Ike
{
    // One IKEv2 message decoded into preallocated structures (RFC 7296 §3):
    //   1. IKE header (§3.1), Length == datagram length;
    //   2. payload chain (§3.2), bounded, unknown critical payloads rejected;
    //   3. each recognized payload parsed into its slot. SA, KE, Ni/Nr, IDi, IDr, AUTH, TSi, TSr appear at most
    //      once (§1.2-§1.4 exchange layouts); Notify and Delete may repeat up to their capacities; CERT, CERTREQ,
    //      V, CP and EAP are left in the chain for later stages. SK (§3.14) is last; after decryption the inner
    //      payloads go through <see cref="ParsePayloads"/> with the SK's Next Payload as the first type.
    // Parsing the same message object again reuses every slot: steady-state parsing allocates nothing.

    /// <summary>An IKEv2 message's header, payload chain and decoded payloads, all preallocated.</summary>
    public sealed class IkeMessage
    {
        /// <summary>Most Notify payloads kept per message.</summary>
        public const int MaxNotifies = 12;
        /// <summary>Most Delete payloads kept per message.</summary>
        public const int MaxDeletes = 4;

        /// <summary>The IKE header.</summary>
        public readonly IkeHeader Header = new IkeHeader();
        /// <summary>The payload chain of the last parse.</summary>
        public readonly IkePayloadChain Chain = new IkePayloadChain();
        /// <summary>SA payload slot.</summary>
        public readonly SaPayload Sa;
        /// <summary>KE payload slot.</summary>
        public readonly KePayload Ke = new KePayload();
        /// <summary>Nonce payload slot (Ni or Nr).</summary>
        public readonly NoncePayload Nonce = new NoncePayload();
        /// <summary>IDi payload slot.</summary>
        public readonly IdPayload IdInitiator = new IdPayload();
        /// <summary>IDr payload slot.</summary>
        public readonly IdPayload IdResponder = new IdPayload();
        /// <summary>AUTH payload slot.</summary>
        public readonly AuthPayload Auth = new AuthPayload();
        /// <summary>TSi payload slot.</summary>
        public readonly TrafficSelectorPayload TsInitiator = new TrafficSelectorPayload();
        /// <summary>TSr payload slot.</summary>
        public readonly TrafficSelectorPayload TsResponder = new TrafficSelectorPayload();
        /// <summary>SK payload slot.</summary>
        public readonly EncryptedPayload Encrypted = new EncryptedPayload();
        /// <summary>Notify payload slots; <see cref="NotifyCount"/> are valid.</summary>
        public readonly NotifyPayload[] Notifies = new NotifyPayload[MaxNotifies];
        /// <summary>Delete payload slots; <see cref="DeleteCount"/> are valid.</summary>
        public readonly DeletePayload[] Deletes = new DeletePayload[MaxDeletes];

        /// <summary>Number of valid Notify payloads.</summary>
        public int NotifyCount;
        /// <summary>Number of valid Delete payloads.</summary>
        public int DeleteCount;
        /// <summary>Which single-instance payloads are present: bit (type - 32) set for types 33..48.</summary>
        public int PresentMask;
        /// <summary>Index in <see cref="Chain"/> of the payload that failed, or -1.</summary>
        public int FailedPayloadIndex;

        /// <summary>Creates a message with every slot allocated.</summary>
        public IkeMessage() : this(SaPayload.MaxProposals, IkeProposal.MaxTransforms)
        {
        }

        /// <summary>A message whose SA payload holds <paramref name="proposals"/> x <paramref name="transforms"/> (small boards).</summary>
        public IkeMessage(int proposals, int transforms)
        {
            Sa = new SaPayload(proposals, transforms);
            for (int i = 0; i < MaxNotifies; i++) Notifies[i] = new NotifyPayload();
            for (int i = 0; i < MaxDeletes; i++) Deletes[i] = new DeletePayload();
        }

        /// <summary>True if a payload of <paramref name="type"/> (33..48) was parsed.</summary>
        public bool Has(byte type)
        {
            return type >= 33 && type <= 48 && (PresentMask & (1 << (type - 32))) != 0;
        }

        /// <summary>
        /// Parses a whole message (no Non-ESP Marker: strip it first, <see cref="NonEspMarker"/>) from
        /// buffer[offset..offset+length). Never throws.
        /// </summary>
        public IkeParseResult Parse(byte[] buffer, int offset, int length)
        {
            Reset();
            IkeParseResult r = Header.Parse(buffer, offset, length);
            if (r != IkeParseResult.Ok) return r;
            return ParsePayloads(buffer, offset + IkeHeader.Length, length - IkeHeader.Length, Header.NextPayload);
        }

        /// <summary>
        /// Walks and decodes the payloads in buffer[offset..offset+length) starting with type <paramref name="first"/>
        /// (the message body, or the decrypted inside of SK). Clears the payload slots first. Never throws.
        /// </summary>
        public IkeParseResult ParsePayloads(byte[] buffer, int offset, int length, byte first)
        {
            Reset();
            IkeParseResult r = Chain.Walk(buffer, offset, length, first);
            if (r != IkeParseResult.Ok) return r;
            for (int i = 0; i < Chain.Count; i++)
            {
                r = Decode(Chain.Type(i), buffer, Chain.Offset(i), Chain.Length(i));
                if (r != IkeParseResult.Ok)
                {
                    FailedPayloadIndex = i;
                    return r;
                }
            }
            return IkeParseResult.Ok;
        }

        void Reset()
        {
            NotifyCount = 0;
            DeleteCount = 0;
            PresentMask = 0;
            FailedPayloadIndex = -1;
        }

        IkeParseResult Decode(byte type, byte[] buffer, int offset, int length)
        {
            if (type == IkePayloadType.Notify)
            {
                if (NotifyCount == MaxNotifies) return IkeParseResult.TooMany;
                IkeParseResult n = Notifies[NotifyCount].Parse(buffer, offset, length);
                if (n == IkeParseResult.Ok) NotifyCount++;
                return n;
            }
            if (type == IkePayloadType.Delete)
            {
                if (DeleteCount == MaxDeletes) return IkeParseResult.TooMany;
                IkeParseResult d = Deletes[DeleteCount].Parse(buffer, offset, length);
                if (d == IkeParseResult.Ok) DeleteCount++;
                return d;
            }
            IkeParseResult r;
            switch (type)
            {
                case IkePayloadType.SecurityAssociation: r = Sa.Parse(buffer, offset, length); break;
                case IkePayloadType.KeyExchange: r = Ke.Parse(buffer, offset, length); break;
                case IkePayloadType.Nonce: r = Nonce.Parse(buffer, offset, length); break;
                case IkePayloadType.IdInitiator: r = IdInitiator.Parse(buffer, offset, length); break;
                case IkePayloadType.IdResponder: r = IdResponder.Parse(buffer, offset, length); break;
                case IkePayloadType.Authentication: r = Auth.Parse(buffer, offset, length); break;
                case IkePayloadType.TsInitiator: r = TsInitiator.Parse(buffer, offset, length); break;
                case IkePayloadType.TsResponder: r = TsResponder.Parse(buffer, offset, length); break;
                case IkePayloadType.Encrypted: r = Encrypted.Parse(buffer, offset, length); break;
                default: return IkeParseResult.Ok;   // CERT, CERTREQ, V, CP, EAP, SKF, unknown non-critical: left in the chain
            }
            if (r != IkeParseResult.Ok) return r;
            int bit = 1 << (type - 32);
            if ((PresentMask & bit) != 0) return IkeParseResult.InvalidSyntax;                // at most once per message
            PresentMask |= bit;
            return IkeParseResult.Ok;
        }
    }
}
