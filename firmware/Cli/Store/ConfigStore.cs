using VpnAppliance.Hal;

namespace VpnAppliance.Cli.Store
{
    /// <summary>
    /// The configuration store: A/B records on the HAL flash (slots 0 and 1) that survive a power loss at
    /// any byte of a save (IFlashStore's power-loss contract).
    ///
    /// Record layout (little-endian), at offset 0 of a slot:
    /// <code>
    ///   0  magic    4  "VCF1"
    ///   4  sequence 4  incremented by every save (serial-number order, RFC 1982 §3.2, so it may wrap)
    ///   8  length   4  payload bytes
    ///  12  crc      4  CRC-32 over bytes [0, 12) and the payload
    ///  16  payload  length bytes
    /// </code>
    /// Save: erase the slot that is NOT current, program the payload, then the header (magic, sequence,
    /// length) and the CRC last, read it back and check. Until the last CRC byte is programmed the new record
    /// cannot verify, so the newest valid record is still the old one; once it is, the new record is the
    /// newest valid one: writing the CRC is what "marks it current". A cut never touches the current slot,
    /// so one good copy always survives.
    /// Load (boot): validate both slots (magic, length in range, CRC), pick the valid one with the newer
    /// sequence number.
    /// </summary>
    public sealed class ConfigStore
    {
        /// <summary>Bytes before the payload.</summary>
        public const int HeaderLength = 16;
        /// <summary>Record magic "VCF1".</summary>
        public const uint Magic = 0x31464356;

        private readonly IFlashStore _flash;
        private readonly byte[] _header;
        private int _currentSlot = -1;
        private uint _sequence;

        /// <summary>A store on <paramref name="flash"/> (uses slots 0 and 1).</summary>
        public ConfigStore(IFlashStore flash)
        {
            _flash = flash;
            _header = new byte[HeaderLength];
        }

        /// <summary>Largest payload a slot holds.</summary>
        public int MaxPayload { get { return _flash.SlotSize - HeaderLength; } }

        /// <summary>Slot of the newest valid record (-1 when none), as of the last Load or Save.</summary>
        public int CurrentSlot { get { return _currentSlot; } }

        /// <summary>Sequence number of the newest valid record.</summary>
        public uint Sequence { get { return _sequence; } }

        /// <summary>
        /// Finds the newest valid record and returns its payload in <paramref name="payload"/> (a new array),
        /// or <see cref="StoreResult.Empty"/> when no slot holds a valid record.
        /// </summary>
        public StoreResult Load(out byte[] payload)
        {
            payload = null;
            _currentSlot = -1;
            byte[] best = null;
            uint bestSequence = 0;
            for (int slot = 0; slot < 2; slot++)
            {
                uint sequence;
                byte[] p = ReadValid(slot, out sequence);
                if (p != null && (best == null || SerialGreater(sequence, bestSequence)))
                {
                    best = p;
                    bestSequence = sequence;
                    _currentSlot = slot;
                }
            }

            if (best == null)
            {
                return StoreResult.Empty;
            }

            _sequence = bestSequence;
            payload = best;
            return StoreResult.Ok;
        }

        /// <summary>
        /// Writes <paramref name="count"/> bytes as the new current record in the slot that is not current.
        /// On any error the previous record stays the current one (in flash and in this object).
        /// </summary>
        public StoreResult Save(byte[] data, int offset, int count)
        {
            if (count < 0 || count > MaxPayload)
            {
                return StoreResult.TooLarge;
            }

            if (_currentSlot < 0)
            {
                // Not loaded yet (or nothing valid): find out which slot must be spared.
                byte[] ignored;
                Load(out ignored);
            }

            int target = _currentSlot == 0 ? 1 : 0;
            uint sequence = _currentSlot < 0 ? 1 : _sequence + 1;
            WriteUInt(_header, 0, Magic);
            WriteUInt(_header, 4, sequence);
            WriteUInt(_header, 8, (uint)count);
            uint crc = Crc32.Update(Crc32.Initial, _header, 0, 12);
            crc = Crc32.Final(Crc32.Update(crc, data, offset, count));
            WriteUInt(_header, 12, crc);

            if (_flash.Erase(target) != FlashResult.Ok
                || (count > 0 && _flash.Write(target, HeaderLength, data, offset, count) != FlashResult.Ok)
                || _flash.Write(target, 0, _header, 0, 12) != FlashResult.Ok
                || _flash.Write(target, 12, _header, 12, 4) != FlashResult.Ok)
            {
                return StoreResult.FlashError;
            }

            uint readSequence;
            if (ReadValid(target, out readSequence) == null || readSequence != sequence)
            {
                return StoreResult.VerifyFailed;
            }

            _currentSlot = target;
            _sequence = sequence;
            return StoreResult.Ok;
        }

        /// <summary>Erases both slots (factory reset): the next Load is Empty.</summary>
        public StoreResult EraseAll()
        {
            // Erase the older slot first so a cut in between still leaves the newer record or nothing older.
            int first = _currentSlot == 0 ? 1 : 0;
            if (_flash.Erase(first) != FlashResult.Ok || _flash.Erase(1 - first) != FlashResult.Ok)
            {
                return StoreResult.FlashError;
            }

            _currentSlot = -1;
            _sequence = 0;
            return StoreResult.Ok;
        }

        // The payload of a valid record in the slot, or null.
        private byte[] ReadValid(int slot, out uint sequence)
        {
            sequence = 0;
            byte[] h = new byte[HeaderLength];
            if (_flash.Read(slot, 0, h, 0, HeaderLength) != FlashResult.Ok || ReadUInt(h, 0) != Magic)
            {
                return null;
            }

            uint length = ReadUInt(h, 8);
            if (length > (uint)MaxPayload)
            {
                return null;
            }

            byte[] payload = new byte[length];
            if (length > 0 && _flash.Read(slot, HeaderLength, payload, 0, (int)length) != FlashResult.Ok)
            {
                return null;
            }

            uint crc = Crc32.Update(Crc32.Initial, h, 0, 12);
            crc = Crc32.Final(Crc32.Update(crc, payload, 0, (int)length));
            if (crc != ReadUInt(h, 12))
            {
                return null;
            }

            sequence = ReadUInt(h, 4);
            return payload;
        }

        // RFC 1982 §3.2 serial number comparison for 32-bit sequence numbers.
        private static bool SerialGreater(uint a, uint b)
        {
            return a != b && (int)(a - b) > 0;
        }

        private static void WriteUInt(byte[] b, int o, uint v)
        {
            b[o] = (byte)v;
            b[o + 1] = (byte)(v >> 8);
            b[o + 2] = (byte)(v >> 16);
            b[o + 3] = (byte)(v >> 24);
        }

        private static uint ReadUInt(byte[] b, int o)
        {
            return (uint)(b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24));
        }
    }
}
