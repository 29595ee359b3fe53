namespace VpnAppliance.Ipsec.Ike
{
    // Receiving side of IKE fragmentation, RFC 7383 §2.6, for one IKE SA (one message in reassembly at a time).
    //
    //   Offer(fragment):
    //     1. SKF header sane (1 <= number <= total <= MaxFragments) else Invalid / TooLarge; a number already stored
    //        for this message and total is a Duplicate (retransmission, nothing changes);
    //     2. the fragment is authenticated and decrypted in place (IkeSaKeys.UnprotectPayload, header 8): any failure
    //        discards this fragment only (§2.6) - nothing unauthenticated changes state;
    //     3. a newer Message ID, or the same one with a larger Total Fragments (the sender re-fragmented smaller,
    //        §2.5.2), restarts the set; an older Message ID or a smaller total is Invalid;
    //     4. the plaintext is appended to a store buffer and its slice recorded by number; when all are there they are
    //        concatenated in order into Plain: Complete.
    // Buffers: two of maxMessageBytes (store, plain) plus per-number tables, all made in the constructor.

    /// <summary>Reassembles SKF fragments into the inner payloads of one IKE message (RFC 7383 §2.6).</summary>
    public sealed class IkeFragmentReassembler
    {
        /// <summary>Most fragments per message we accept (RFC 7383 sets no limit; a bound keeps memory fixed).</summary>
        public const int MaxFragments = 16;

        readonly byte[] _store;
        readonly byte[] _plain;
        readonly int[] _offsets = new int[MaxFragments + 1];       // by fragment number (1-based)
        readonly int[] _lengths = new int[MaxFragments + 1];
        readonly bool[] _have = new bool[MaxFragments + 1];
        int _storeUsed;
        int _received;
        int _total;
        bool _active;
        bool _complete;
        uint _messageId;
        byte _innerNextPayload;
        int _plainLength;

        /// <summary>Preallocates the buffers for messages of up to <paramref name="maxMessageBytes"/> octets of plaintext.</summary>
        public IkeFragmentReassembler(int maxMessageBytes)
        {
            if (maxMessageBytes < 0) maxMessageBytes = 0;
            _store = new byte[maxMessageBytes];
            _plain = new byte[maxMessageBytes];
        }

        /// <summary>The reassembled inner payloads (valid after <see cref="FragmentResult.Complete"/> until <see cref="Reset"/>).</summary>
        public byte[] Plain { get { return _plain; } }
        /// <summary>Octets of <see cref="Plain"/> that are valid.</summary>
        public int PlainLength { get { return _complete ? _plainLength : 0; } }
        /// <summary>Type of the first inner payload (fragment 1's SKF Next Payload).</summary>
        public byte InnerNextPayload { get { return _innerNextPayload; } }
        /// <summary>Message ID of the set being (or last) reassembled.</summary>
        public uint MessageId { get { return _messageId; } }
        /// <summary>True after Complete, until Reset or a newer message.</summary>
        public bool IsComplete { get { return _complete; } }
        /// <summary>Fragments stored for the current set.</summary>
        public int ReceivedCount { get { return _received; } }

        /// <summary>
        /// Offers one received message whose only (or first) payload is SKF at <paramref name="skfOffset"/> (its generic
        /// header). <paramref name="fromInitiator"/> = sent by the original initiator of the IKE SA (which keys to use);
        /// <paramref name="messageId"/> = the IKE header's Message ID. The message is decrypted in place. Never throws.
        /// </summary>
        public FragmentResult Offer(IkeSaKeys keys, bool fromInitiator, byte[] message, int messageOffset, int messageLength, int skfOffset, uint messageId)
        {
            if (keys == null || message == null || messageOffset < 0 || messageLength < 0 || messageOffset > message.Length - messageLength)
                return FragmentResult.Invalid;
            byte next;
            int number;
            int total;
            int end = messageOffset + messageLength;
            if (skfOffset < messageOffset || !SkfHeader.TryRead(message, skfOffset, end, out next, out number, out total)) return FragmentResult.Invalid;
            if (total > MaxFragments) return FragmentResult.TooLarge;
            bool sameSet = _active && messageId == _messageId;
            if (sameSet && total == _total && (_complete || _have[number])) return FragmentResult.Duplicate;
            if (sameSet && total < _total) return FragmentResult.Invalid;                       // stale re-fragmentation
            if (_active && IsOlder(messageId, _messageId)) return FragmentResult.Invalid;

            int plainOffset;
            int plainLength;
            IkeKeysResult r = keys.UnprotectPayload(fromInitiator, message, messageOffset, messageLength, skfOffset, SkfHeader.Length, out plainOffset, out plainLength);
            if (r != IkeKeysResult.Ok) return FragmentResult.Invalid;                            // §2.6: discard this one
            if (number == 1 && next == IkePayloadType.None) return FragmentResult.Invalid;       // §2.5: first names the inner payload

            // Authenticated from here on.
            if (!sameSet || total > _total) Start(messageId, total);
            if (_storeUsed + plainLength > _store.Length)
            {
                Reset();
                return FragmentResult.TooLarge;
            }
            System.Array.Copy(message, plainOffset, _store, _storeUsed, plainLength);
            _offsets[number] = _storeUsed;
            _lengths[number] = plainLength;
            _have[number] = true;
            _storeUsed += plainLength;
            _received++;
            if (number == 1) _innerNextPayload = next;
            if (_received < _total) return FragmentResult.Incomplete;

            int at = 0;
            for (int n = 1; n <= _total; n++)
            {
                System.Array.Copy(_store, _offsets[n], _plain, at, _lengths[n]);
                at += _lengths[n];
            }
            _plainLength = at;
            _complete = true;
            return FragmentResult.Complete;
        }

        /// <summary>Forgets the set being reassembled (and the completed plaintext); zeroises the buffers' used parts.</summary>
        public void Reset()
        {
            System.Array.Clear(_store, 0, _storeUsed);
            System.Array.Clear(_plain, 0, _plainLength);
            for (int n = 0; n <= MaxFragments; n++) _have[n] = false;
            _storeUsed = 0;
            _received = 0;
            _total = 0;
            _active = false;
            _complete = false;
            _innerNextPayload = 0;
            _plainLength = 0;
        }

        void Start(uint messageId, int total)
        {
            Reset();
            _active = true;
            _messageId = messageId;
            _total = total;
        }

        // Message IDs only grow within an IKE SA (RFC 7296 §2.2); no wrap in practice (an SA is rekeyed long before).
        static bool IsOlder(uint id, uint current)
        {
            return id < current;
        }
    }
}
