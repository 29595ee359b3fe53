namespace VpnAppliance.Ipsec
{
    // Anti-replay window (RFC 4303 §3.4.3) kept as RFC 6479's bitmap of 32-bit blocks that never shifts:
    // sequence number s owns bit (s mod 32) of block ((s / 32) mod Blocks). The bitmap holds one block more
    // than the window, so when the right edge moves into a new block only the blocks it enters are cleared
    // (at most Blocks of them, however far it jumps) and the bits still inside the window stay where they are.
    //
    //   Top = highest sequence number authenticated so far (0 = none yet).
    //   Accept s when s > Top (new right edge), or Top - Size < s <= Top and bit s is clear.
    //
    // Checking is split from updating on purpose (RFC 4303 §3.4.3, DESIGN.md rule 4): Check is a pure pre-check
    // run before the ICV is verified; Update runs only after the ICV has verified, so a forged packet can never
    // move the window.
    //
    // Extended sequence numbers (RFC 4303 §2.2.1, Appendix A2.2): only the low 32 bits are sent; the receiver
    // infers the high 32 bits from where the low bits fall relative to the window, and the inferred value is
    // authenticated by the ICV (the high bits are part of its input).

    /// <summary>Outcome of <see cref="ReplayWindow.Check"/>.</summary>
    public enum ReplayCheck
    {
        /// <summary>New: right of the window or inside it and unseen.</summary>
        Ok = 0,
        /// <summary>Inside the window and already received.</summary>
        Duplicate = 1,
        /// <summary>Left of the window (or sequence number 0, never sent, RFC 4303 §3.3.3).</summary>
        TooOld = 2,
    }

    /// <summary>RFC 6479 anti-replay bitmap with optional ESN inference. Allocation-free after construction.</summary>
    public sealed class ReplayWindow
    {
        /// <summary>Default window (AWS default; RFC 4303 §3.4.3 recommends at least 64): 1,024 packets.</summary>
        public const int DefaultSize = 1024;

        /// <summary>Bits per bitmap block.</summary>
        public const int BlockBits = 32;

        private readonly uint[] _blocks;
        private readonly int _capacity;
        private int _size;
        private bool _off;
        private readonly int _blockCount;
        private ulong _top;
        private bool _esn;

        /// <summary>
        /// Creates a window of <paramref name="size"/> packets, rounded up to a multiple of 32 (at least 32).
        /// </summary>
        public ReplayWindow(int size)
        {
            if (size < BlockBits)
            {
                size = BlockBits;
            }

            _blockCount = (size + BlockBits - 1) / BlockBits + 1;
            _size = (_blockCount - 1) * BlockBits;
            _capacity = _size;
            _blocks = new uint[_blockCount];
        }

        /// <summary>Largest window this instance can hold (its bitmap).</summary>
        public int Capacity { get { return _capacity; } }

        /// <summary>True when anti-replay is off (replay-window 0: RFC 4303 §3.4.3 lets the receiver disable it).</summary>
        public bool Off { get { return _off; } }

        /// <summary>
        /// Sets the window the SA negotiated for: <paramref name="size"/> packets rounded up to 32 and capped at
        /// <see cref="Capacity"/>; 0 turns anti-replay off. Call before the first packet (Reset keeps it).
        /// </summary>
        public void Resize(int size)
        {
            _off = size == 0;
            if (size < BlockBits) size = BlockBits;
            size = (size + BlockBits - 1) / BlockBits * BlockBits;
            _size = size > _capacity ? _capacity : size;
        }

        /// <summary>Window size in packets (a multiple of 32).</summary>
        public int Size { get { return _size; } }

        /// <summary>Highest authenticated sequence number (64-bit with ESN), 0 before the first packet.</summary>
        public ulong Top { get { return _top; } }

        /// <summary>True when extended sequence numbers are in use.</summary>
        public bool ExtendedSequenceNumbers { get { return _esn; } }

        /// <summary>Empties the window for a new SA.</summary>
        public void Reset(bool extendedSequenceNumbers)
        {
            System.Array.Clear(_blocks, 0, _blockCount);
            _top = 0;
            _esn = extendedSequenceNumbers;
        }

        /// <summary>
        /// Pre-check of a received sequence number (low 32 bits as transmitted). Writes the full sequence number
        /// (with the inferred high bits under ESN) to <paramref name="sequence"/>. Changes nothing.
        /// </summary>
        public ReplayCheck Check(uint low, out ulong sequence)
        {
            sequence = _esn ? Infer(low) : low;
            if (sequence == 0)
            {
                return ReplayCheck.TooOld; // the first packet is 1; 0 (or an impossible epoch) is never sent
            }

            if (sequence > _top || _off)
            {
                return ReplayCheck.Ok;
            }

            if (_top - sequence >= (ulong)_size)
            {
                return ReplayCheck.TooOld;
            }

            uint bit = 1u << (int)(sequence & (BlockBits - 1));
            int block = (int)((sequence / BlockBits) % (ulong)_blockCount);
            return (_blocks[block] & bit) != 0 ? ReplayCheck.Duplicate : ReplayCheck.Ok;
        }

        /// <summary>
        /// Records an authenticated sequence number (one <see cref="Check"/> returned Ok for). Returns false, and
        /// changes nothing, when it is a duplicate or too old after all.
        /// </summary>
        public bool Update(ulong sequence)
        {
            if (sequence == 0)
            {
                return false;
            }

            if (_off)
            {
                if (sequence > _top) _top = sequence;   // kept for ESN inference; duplicates are not tracked
                return true;
            }

            if (sequence > _top)
            {
                // Clear the blocks the right edge enters: those after Top's block up to sequence's block. A jump
                // of a whole bitmap or more clears everything (bounded by _blockCount).
                ulong topBlock = _top / BlockBits;
                ulong newBlock = sequence / BlockBits;
                ulong steps = newBlock - topBlock;
                if (steps > (ulong)_blockCount)
                {
                    steps = (ulong)_blockCount;
                }

                for (ulong i = 1; i <= steps; i++)
                {
                    _blocks[(int)((topBlock + i) % (ulong)_blockCount)] = 0;
                }

                _top = sequence;
            }
            else if (_top - sequence >= (ulong)_size)
            {
                return false;
            }

            uint bit = 1u << (int)(sequence & (BlockBits - 1));
            int block = (int)((sequence / BlockBits) % (ulong)_blockCount);
            if ((_blocks[block] & bit) != 0)
            {
                return false;
            }

            _blocks[block] |= bit;
            return true;
        }

        // RFC 4303 Appendix A2.2 with W = window size, T = Th:Tl the top:
        //   Case A (Tl >= W - 1, the window lies within one epoch):
        //     Seql >= Tl - W + 1  -> Seqh = Th        else -> Seqh = Th + 1 (wrapped past Tl)
        //   Case B (Tl < W - 1, the window straddles the epoch boundary):
        //     Seql >= Tl - W + 1 (mod 2^32) -> Seqh = Th - 1 (in the old epoch)   else -> Seqh = Th
        // An impossible epoch (Th - 1 below zero, Th + 1 beyond 2^32 - 1) yields 0, rejected as too old.
        private ulong Infer(uint low)
        {
            uint th = (uint)(_top >> 32);
            uint tl = (uint)_top;
            uint bottom = unchecked(tl - (uint)_size + 1);
            uint high;
            if (tl >= (uint)_size - 1)
            {
                if (low >= bottom)
                {
                    high = th;
                }
                else
                {
                    if (th == 0xFFFFFFFF)
                    {
                        return 0;
                    }

                    high = th + 1;
                }
            }
            else
            {
                if (low >= bottom)
                {
                    if (th == 0)
                    {
                        return 0;
                    }

                    high = th - 1;
                }
                else
                {
                    high = th;
                }
            }

            return ((ulong)high << 32) | low;
        }
    }
}
