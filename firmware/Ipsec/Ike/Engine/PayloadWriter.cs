namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Writes a chain of IKE payloads into a buffer (RFC 7296 §3.2): each payload is emitted with Next Payload 0 and
    /// the previous payload's Next Payload octet is patched when the next one is appended, so callers add payloads
    /// in order without knowing what follows. <see cref="First"/> is the type to put in the IKE header (or the SK
    /// payload's Next Payload). A payload that does not fit sets <see cref="Overflow"/>; later appends are ignored.
    /// </summary>
    public sealed class PayloadWriter
    {
        private byte[] _buffer;
        private int _start;
        private int _capacity;
        private int _at;
        private int _lastHeader;

        /// <summary>Type of the first payload written (0 when none).</summary>
        public byte First;
        /// <summary>True when a payload did not fit.</summary>
        public bool Overflow;

        /// <summary>Starts writing at buffer[offset], at most capacity bytes.</summary>
        public void Begin(byte[] buffer, int offset, int capacity)
        {
            _buffer = buffer;
            _start = offset;
            _capacity = capacity;
            _at = offset;
            _lastHeader = -1;
            First = 0;
            Overflow = false;
        }

        /// <summary>The buffer being written.</summary>
        public byte[] Buffer { get { return _buffer; } }
        /// <summary>Where the next payload goes.</summary>
        public int Position { get { return _at; } }
        /// <summary>Bytes room left.</summary>
        public int Remaining { get { return _capacity - (_at - _start); } }
        /// <summary>Bytes written.</summary>
        public int Length { get { return _at - _start; } }

        /// <summary>Records a payload of <paramref name="type"/> just emitted at <see cref="Position"/> with <paramref name="written"/> bytes (0 = did not fit).</summary>
        public void Commit(byte type, int written)
        {
            if (Overflow) return;
            if (written <= 0)
            {
                Overflow = true;
                return;
            }
            if (_lastHeader < 0) First = type;
            else _buffer[_lastHeader] = type;
            _lastHeader = _at;
            _at += written;
        }

        /// <summary>Appends a Notify payload with optional data.</summary>
        public void Notify(NotifyPayload scratch, byte protocol, ushort type, ulong spi, int spiSize, byte[] data, int offset, int length)
        {
            if (Overflow) return;
            scratch.ProtocolId = protocol;
            scratch.SpiSize = (byte)spiSize;
            scratch.NotifyType = type;
            scratch.Spi = spi;
            scratch.Data = data;
            scratch.DataOffset = offset;
            scratch.DataLength = length;
            Commit(IkePayloadType.Notify, scratch.Emit(_buffer, _at, Remaining, 0));
        }
    }
}
