namespace VpnAppliance.Hal.Doubles
{
    /// <summary>
    /// Flash slots in RAM with the exact power-loss semantics of <see cref="IFlashStore"/> and a
    /// settable power cut:
    /// <list type="bullet">
    /// <item><see cref="PowerFailsAfter"/>(n): the supply dies once n more bytes have been erased or
    /// programmed (counted across operations; an erase counts SlotSize bytes).</item>
    /// <item>An erase cut after k bytes has set bytes [0, k) of the slot to ErasedValue, the rest
    /// keep their old values (one of the "any mixture" outcomes the contract allows).</item>
    /// <item>A write cut after k bytes has programmed bytes [0, k), byte k (being programmed at the
    /// moment of loss) holds <see cref="TornByteValue"/>, bytes after it are untouched.</item>
    /// <item>The interrupted operation returns IoError and so does every later one, reads included,
    /// until <see cref="RestorePower"/> (a reboot); the bytes stay as the cut left them.</item>
    /// <item>An operation that ends exactly on the budget completes (Ok) and the power dies after it.</item>
    /// </list>
    /// </summary>
    public sealed class MemoryFlash : IFlashStore
    {
        private readonly byte[][] _slots;
        private readonly int _slotSize;
        private readonly byte _erased;
        private long _budget = -1;
        private bool _powerOn = true;

        /// <summary>Creates <paramref name="slotCount"/> erased slots of <paramref name="slotSize"/> bytes.</summary>
        public MemoryFlash(int slotCount, int slotSize, byte erasedValue)
        {
            if (slotCount < 2)
            {
                throw new System.ArgumentOutOfRangeException("slotCount");
            }

            if (slotSize < 1)
            {
                throw new System.ArgumentOutOfRangeException("slotSize");
            }

            _slotSize = slotSize;
            _erased = erasedValue;
            _slots = new byte[slotCount][];
            for (int i = 0; i < slotCount; i++)
            {
                _slots[i] = new byte[slotSize];
                for (int j = 0; j < slotSize; j++)
                {
                    _slots[i][j] = erasedValue;
                }
            }

            TornByteValue = 0x5A;
        }

        /// <summary>Number of slots.</summary>
        public int SlotCount { get { return _slots.Length; } }

        /// <summary>Bytes per slot.</summary>
        public int SlotSize { get { return _slotSize; } }

        /// <summary>Value of an erased byte.</summary>
        public byte ErasedValue { get { return _erased; } }

        /// <summary>What the byte being programmed at the cut ends up holding.</summary>
        public byte TornByteValue { get; set; }

        /// <summary>False between a power cut and <see cref="RestorePower"/>.</summary>
        public bool PowerOn { get { return _powerOn; } }

        /// <summary>Bytes programmed by writes so far (including partial ones).</summary>
        public long BytesProgrammed { get; private set; }

        /// <summary>Bytes erased so far (including partial erases).</summary>
        public long BytesErased { get; private set; }

        /// <summary>Erase operations started.</summary>
        public int EraseCount { get; private set; }

        /// <summary>Write operations started.</summary>
        public int WriteCount { get; private set; }

        /// <summary>Power cuts that happened.</summary>
        public int PowerCuts { get; private set; }

        /// <summary>Arms a cut after <paramref name="bytes"/> more bytes erased/programmed; 0 cuts now; -1 disarms.</summary>
        public void PowerFailsAfter(long bytes)
        {
            if (bytes == 0)
            {
                Cut();
                return;
            }

            _budget = bytes;
        }

        /// <summary>Powers the store back on (the content is what the cut left) and disarms any cut.</summary>
        public void RestorePower()
        {
            _powerOn = true;
            _budget = -1;
        }

        /// <summary>Erases the slot (IoError and a partial erase if the power dies during it).</summary>
        public FlashResult Erase(int slot)
        {
            if (!_powerOn)
            {
                return FlashResult.IoError;
            }

            if (slot < 0 || slot >= _slots.Length)
            {
                return FlashResult.OutOfRange;
            }

            EraseCount++;
            byte[] s = _slots[slot];
            int done = Allowance(_slotSize);
            for (int i = 0; i < done; i++)
            {
                s[i] = _erased;
            }

            BytesErased += done;
            return Finish(done, _slotSize);
        }

        /// <summary>Programs bytes in increasing address order (see the class comment for a cut).</summary>
        public FlashResult Write(int slot, int slotOffset, byte[] data, int dataOffset, int count)
        {
            if (!_powerOn)
            {
                return FlashResult.IoError;
            }

            if (!InRange(slot, slotOffset, count) || !FrameRing.RangeOk(data, dataOffset, count))
            {
                return FlashResult.OutOfRange;
            }

            WriteCount++;
            byte[] s = _slots[slot];
            int done = Allowance(count);
            System.Array.Copy(data, dataOffset, s, slotOffset, done);
            BytesProgrammed += done;
            if (done < count)
            {
                s[slotOffset + done] = TornByteValue;
            }

            return Finish(done, count);
        }

        /// <summary>Reads bytes (IoError while the power is off).</summary>
        public FlashResult Read(int slot, int slotOffset, byte[] buffer, int bufferOffset, int count)
        {
            if (!_powerOn)
            {
                return FlashResult.IoError;
            }

            if (!InRange(slot, slotOffset, count) || !FrameRing.RangeOk(buffer, bufferOffset, count))
            {
                return FlashResult.OutOfRange;
            }

            System.Array.Copy(_slots[slot], slotOffset, buffer, bufferOffset, count);
            return FlashResult.Ok;
        }

        /// <summary>Test access to a byte regardless of the power state (what a post-mortem dump would show).</summary>
        public byte PeekByte(int slot, int slotOffset)
        {
            return _slots[slot][slotOffset];
        }

        private bool InRange(int slot, int slotOffset, int count)
        {
            return slot >= 0 && slot < _slots.Length && slotOffset >= 0 && count >= 0 && slotOffset <= _slotSize - count;
        }

        // How many of the next `wanted` bytes complete before the supply dies.
        private int Allowance(int wanted)
        {
            if (_budget < 0 || _budget >= wanted)
            {
                return wanted;
            }

            return (int)_budget;
        }

        // Charges `done` bytes to the budget; the operation failed if it could not do all `wanted`.
        private FlashResult Finish(int done, int wanted)
        {
            if (_budget >= 0)
            {
                _budget -= done;
                if (done < wanted || _budget == 0)
                {
                    Cut();
                    return done < wanted ? FlashResult.IoError : FlashResult.Ok;
                }
            }

            return FlashResult.Ok;
        }

        private void Cut()
        {
            _powerOn = false;
            _budget = -1;
            PowerCuts++;
        }
    }
}
