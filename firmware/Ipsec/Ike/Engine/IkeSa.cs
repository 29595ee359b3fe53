using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// One IKE SA slot: SPIs, role, keys, the handshake state, the request/response windows (RFC 7296 §2.1-§2.3:
    /// window size 1 each way, the last response cached to answer retransmitted requests), its CHILD SAs and the
    /// context of an exchange in flight. All buffers are allocated once with the slot.
    /// </summary>
    public sealed class IkeSa
    {
        /// <summary>Largest IKE message kept (outstanding request, cached response, the two IKE_SA_INIT messages).</summary>
        public const int MaxMessage = 1280;
        /// <summary>
        /// Largest nonce accepted and kept. RFC 7296 §2.10 allows 16..256 octets; real peers send 32 (strongSwan,
        /// clouds); longer ones are refused as malformed so a slot does not carry 4 x 256 bytes on small boards.
        /// </summary>
        public const int MaxNonce = 128;
        /// <summary>CHILD SA handles one IKE SA tracks (current, rekeyed old, new from a rekey, collision loser).</summary>
        public const int MaxChildren = 6;

        internal IkeSa(int index, ICryptoProvider provider, IRandom random, byte[] sharedSeed)
        {
            Index = index;
            Keys = new IkeSaKeys(provider, random, sharedSeed);
        }

        /// <summary>Slot number.</summary>
        public int Index { get; private set; }
        /// <summary>State.</summary>
        public IkeSaState State;
        /// <summary>Index of the owning <see cref="IkeConnection"/>, -1 while unknown.</summary>
        public int Connection = -1;
        /// <summary>True when this end is the original initiator (RFC 7296 §2.2; after an IKE rekey, the rekey's initiator, §2.18).</summary>
        public bool OriginalInitiator;
        /// <summary>Initiator's SPI.</summary>
        public ulong SpiI;
        /// <summary>Responder's SPI.</summary>
        public ulong SpiR;
        /// <summary>Negotiated transforms.</summary>
        public readonly IkeSuite Suite = new IkeSuite();
        /// <summary>SK_d, SK_a*, SK_e*, SK_p* and the SK payload protection.</summary>
        public readonly IkeSaKeys Keys;
        /// <summary>Our Diffie-Hellman of the exchange in progress (IKE_SA_INIT or an IKE rekey).</summary>
        public IDiffieHellman Dh;
        /// <summary>Initiator nonce of the IKE SA.</summary>
        public readonly byte[] Ni = new byte[MaxNonce];
        /// <summary>Length of <see cref="Ni"/>.</summary>
        public int NiLength;
        /// <summary>Responder nonce of the IKE SA.</summary>
        public readonly byte[] Nr = new byte[MaxNonce];
        /// <summary>Length of <see cref="Nr"/>.</summary>
        public int NrLength;
        /// <summary>The IKE_SA_INIT request as sent or received (signed by the initiator's AUTH, §2.15).</summary>
        public readonly byte[] Msg1 = new byte[MaxMessage];
        /// <summary>Length of <see cref="Msg1"/>.</summary>
        public int Msg1Length;
        /// <summary>The IKE_SA_INIT response (signed by the responder's AUTH).</summary>
        public readonly byte[] Msg2 = new byte[MaxMessage];
        /// <summary>Length of <see cref="Msg2"/>.</summary>
        public int Msg2Length;

        /// <summary>The peer's address (host order).</summary>
        public uint PeerAddress;
        /// <summary>The peer's UDP port (500, then 4500 or its NAT mapping, §2.23).</summary>
        public int PeerPort;
        /// <summary>Our UDP port (500 or 4500).</summary>
        public int LocalPort;
        /// <summary>The peer sent IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383 §2.3).</summary>
        public bool PeerFragmentation;

        /// <summary>Message ID of our next request.</summary>
        public uint NextRequestId;
        /// <summary>Message ID the next request from the peer must carry.</summary>
        public uint ExpectedRequestId;

        /// <summary>What our outstanding request is.</summary>
        public IkeRequestKind Pending;
        /// <summary>Message ID of the outstanding request.</summary>
        public uint PendingId;
        /// <summary>Exchange type of the outstanding request.</summary>
        public byte PendingExchange;
        /// <summary>The outstanding request: the datagram (without Non-ESP Marker), or its plaintext when it goes fragmented.</summary>
        public readonly byte[] Request = new byte[MaxMessage];
        /// <summary>Bytes in <see cref="Request"/>.</summary>
        public int RequestLength;
        /// <summary>True when <see cref="Request"/> holds plaintext inner payloads sent as RFC 7383 fragments.</summary>
        public bool RequestFragmented;
        /// <summary>First inner payload type of a fragmented request.</summary>
        public byte RequestInnerNext;
        /// <summary>Transmissions so far.</summary>
        public int Tries;
        /// <summary>When the outstanding request is sent again.</summary>
        public long RetransmitAtMs = long.MaxValue;
        /// <summary>When the outstanding request was first sent.</summary>
        public long RequestSentAtMs;

        /// <summary>The last response we sent (answer to a retransmitted request, §2.1), same layout as <see cref="Request"/>.</summary>
        public readonly byte[] Response = new byte[MaxMessage];
        /// <summary>Bytes in <see cref="Response"/>; 0 = none.</summary>
        public int ResponseLength;
        /// <summary>Message ID of the cached response.</summary>
        public uint ResponseId;
        /// <summary>True when the cached response is plaintext to re-fragment.</summary>
        public bool ResponseFragmented;
        /// <summary>First inner payload type of a fragmented response.</summary>
        public byte ResponseInnerNext;
        /// <summary>Exchange type of the cached response.</summary>
        public byte ResponseExchange;

        /// <summary>CHILD SA handles (SAD) carried by this IKE SA.</summary>
        public readonly int[] Children = new int[MaxChildren];
        /// <summary>Entries used in <see cref="Children"/>.</summary>
        public int ChildCount;

        /// <summary>The CHILD SA handle our outstanding CREATE_CHILD_SA rekeys (-1: none).</summary>
        public int RekeyOld = -1;
        /// <summary>The SAD slot reserved for the CHILD SA our exchange creates (-1: none).</summary>
        public int RekeyNew = -1;
        /// <summary>The IKE SA slot our IKE rekey creates (-1: none).</summary>
        public int RekeyIkeNew = -1;
        /// <summary>DH of our outstanding CREATE_CHILD_SA (PFS or IKE rekey), null without KE.</summary>
        public IDiffieHellman ExchangeDh;
        /// <summary>Nonce we sent in our outstanding CREATE_CHILD_SA.</summary>
        public readonly byte[] ExchangeNonce = new byte[MaxNonce];
        /// <summary>Length of <see cref="ExchangeNonce"/>.</summary>
        public int ExchangeNonceLength;
        /// <summary>The peer rekeyed the same SA while our rekey was in flight (§2.8.1): the lowest nonce of its exchange.</summary>
        public readonly byte[] CollisionNonce = new byte[MaxNonce];
        /// <summary>Length of <see cref="CollisionNonce"/> (0: no collision seen).</summary>
        public int CollisionNonceLength;
        /// <summary>What the peer's colliding exchange created: CHILD handle or IKE SA index (-1: none).</summary>
        public int CollisionCreated = -1;

        /// <summary>DH group used in our IKE_SA_INIT (may change after INVALID_KE_PAYLOAD).</summary>
        public int InitGroup;
        /// <summary>COOKIE data the responder asked us to return (§2.6).</summary>
        public readonly byte[] Cookie = new byte[64];
        /// <summary>Length of <see cref="Cookie"/>; 0 = none.</summary>
        public int CookieLength;

        /// <summary>When the SA was created (slot taken).</summary>
        public long CreatedAtMs;
        /// <summary>When it was authenticated.</summary>
        public long EstablishedAtMs;
        /// <summary>When we start rekeying it (long.MaxValue: never / not ours to do).</summary>
        public long RekeyAtMs = long.MaxValue;
        /// <summary>When it must be gone at the latest (IKE lifetime).</summary>
        public long ExpireAtMs = long.MaxValue;
        /// <summary>Last authenticated IKE message or ESP packet from the peer (DPD, RFC 7296 §1.4).</summary>
        public long LastInboundMs;
        /// <summary>Inbound ESP packets counted at the last liveness look.</summary>
        public long InboundPacketsSeen;
        /// <summary>Last datagram we sent to the peer (NAT-T keepalive timing, RFC 3948 §2.3).</summary>
        public long LastOutboundMs;
        /// <summary>IKE rekeyed SAs: the SA that replaced this one.</summary>
        public int ReplacedBy = -1;

        /// <summary>Queued work (rekeys, deletes) waits until this time (a peer answered TEMPORARY_FAILURE).</summary>
        public long NextWorkAtMs;
        /// <summary>A CHILD SA whose soft lifetime passed and that waits for this SA to be idle to be rekeyed (-1: none).</summary>
        public int RekeyDue = -1;
        /// <summary>CHILD SAs past their hard lifetime waiting for a DELETE exchange.</summary>
        public readonly int[] DeleteDue = new int[MaxChildren];
        /// <summary>Entries used in <see cref="DeleteDue"/>.</summary>
        public int DeleteDueCount;
        /// <summary>CHILD SAs named in our outstanding DELETE request (deleted when it is answered).</summary>
        public readonly int[] Deleting = new int[MaxChildren];
        /// <summary>Entries used in <see cref="Deleting"/>.</summary>
        public int DeletingCount;

        /// <summary>Queues a CHILD SA for a DELETE exchange.</summary>
        public void AddDeleteDue(int handle)
        {
            for (int i = 0; i < DeleteDueCount; i++) if (DeleteDue[i] == handle) return;
            if (DeleteDueCount < MaxChildren) DeleteDue[DeleteDueCount++] = handle;
        }

        /// <summary>Our SPI in this SA.</summary>
        public ulong LocalSpi { get { return OriginalInitiator ? SpiI : SpiR; } }

        /// <summary>Adds a CHILD handle; false when the slot list is full.</summary>
        public bool AddChild(int handle)
        {
            for (int i = 0; i < ChildCount; i++) if (Children[i] == handle) return true;
            if (ChildCount == MaxChildren) return false;
            Children[ChildCount++] = handle;
            return true;
        }

        /// <summary>Removes a CHILD handle if present.</summary>
        public void RemoveChild(int handle)
        {
            for (int i = 0; i < ChildCount; i++)
            {
                if (Children[i] != handle) continue;
                Children[i] = Children[ChildCount - 1];
                ChildCount--;
                return;
            }
        }

        /// <summary>Clears the outstanding request.</summary>
        public void ClearPending()
        {
            Pending = IkeRequestKind.None;
            RequestLength = 0;
            RequestFragmented = false;
            Tries = 0;
            RetransmitAtMs = long.MaxValue;
        }

        /// <summary>Returns the slot to Free, zeroising keys and nonces.</summary>
        public void Reset()
        {
            State = IkeSaState.Free;
            Connection = -1;
            OriginalInitiator = false;
            SpiI = 0;
            SpiR = 0;
            Suite.Clear();
            Keys.Clear();
            if (Dh != null) Dh.Clear();
            Dh = null;
            if (ExchangeDh != null) ExchangeDh.Clear();
            ExchangeDh = null;
            ConstantTime.Zeroise(Ni, 0, Ni.Length);
            ConstantTime.Zeroise(Nr, 0, Nr.Length);
            NiLength = 0;
            NrLength = 0;
            Msg1Length = 0;
            Msg2Length = 0;
            PeerAddress = 0;
            PeerPort = 0;
            LocalPort = 0;
            PeerFragmentation = false;
            NextRequestId = 0;
            ExpectedRequestId = 0;
            ClearPending();
            PendingId = 0;
            ResponseLength = 0;
            ResponseFragmented = false;
            ChildCount = 0;
            RekeyOld = -1;
            RekeyNew = -1;
            RekeyIkeNew = -1;
            ExchangeNonceLength = 0;
            CollisionNonceLength = 0;
            CollisionCreated = -1;
            InitGroup = 0;
            CookieLength = 0;
            CreatedAtMs = 0;
            EstablishedAtMs = 0;
            RekeyAtMs = long.MaxValue;
            ExpireAtMs = long.MaxValue;
            LastInboundMs = 0;
            InboundPacketsSeen = 0;
            LastOutboundMs = 0;
            ReplacedBy = -1;
            RekeyDue = -1;
            NextWorkAtMs = 0;
            DeleteDueCount = 0;
            DeletingCount = 0;
        }
    }
}
