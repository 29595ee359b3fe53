using VpnAppliance.Core;
using VpnAppliance.Wire;

namespace VpnAppliance.Net
{
    /// <summary>
    /// Cuts an IPv4 datagram whose DF bit is clear into fragments that fit an egress MTU (RFC 791 §3.2
    /// "Fragmentation", RFC 1812 §5.2.6), written one at a time into a caller buffer so nothing is allocated:
    /// <c>Begin(packet, mtu)</c>, then <c>Next(dst)</c> until it returns 0.
    ///
    /// Rules (RFC 791): every fragment but the last carries a multiple of 8 data bytes and MF; the fragment
    /// offset counts 8-byte units from the start of the original datagram's data, so a datagram that is itself
    /// a fragment yields offsets relative to its own offset and the last piece keeps the original MF. The first
    /// fragment keeps the whole header with every option; the others keep only the options whose copied flag
    /// (bit 0x80 of the option type) is set, padded with end-of-list to a multiple of 4 (RFC 791 §3.1 "Options").
    /// Every header gets its own total length and checksum. RFC 791 requires every host to accept 68-byte
    /// datagrams, so the MTU must be at least 68: then even a 60-byte header leaves 8 data bytes.
    /// </summary>
    public sealed class Ipv4Fragmenter
    {
        /// <summary>Smallest MTU every IPv4 module must pass without further fragmentation (RFC 791 §3.2).</summary>
        public const int MinimumMtu = 68;

        private const int FlagsField = 6;
        private const int MoreFragmentsBit = 0x2000;
        private const int OffsetMask = 0x1FFF;

        private readonly byte[] _copiedOptions = new byte[Ipv4Packet.MaximumHeaderLength - Ipv4Packet.MinimumHeaderLength];
        private byte[] _src;
        private int _off;
        private int _headerLength;
        private int _laterHeaderLength;
        private int _payloadLength;
        private int _position;
        private int _mtu;
        private int _baseUnits;
        private bool _lastHasMore;
        private int _produced;

        /// <summary>Describes the object and array the constructor allocates.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(11, 2 * 8 + 8 * 4 + 1);
            budget.AddValueArray(1, Ipv4Packet.MaximumHeaderLength - Ipv4Packet.MinimumHeaderLength);
        }

        /// <summary>Fragments written by the current <see cref="Next"/> sequence so far.</summary>
        public int Produced { get { return _produced; } }

        /// <summary>
        /// Starts cutting the checked datagram <paramref name="packet"/> for <paramref name="mtu"/>. False (nothing
        /// to do) when the MTU is below <see cref="MinimumMtu"/>, DF is set, or the datagram already fits.
        /// </summary>
        public bool Begin(Ipv4Packet packet, int mtu)
        {
            _src = null;
            if (packet.Buffer == null || mtu < MinimumMtu || packet.DontFragment || packet.Length <= mtu)
            {
                return false;
            }

            _src = packet.Buffer;
            _off = packet.Offset;
            _headerLength = packet.HeaderLength;
            _payloadLength = packet.PayloadLength;
            _position = 0;
            _mtu = mtu;
            _baseUnits = packet.FragmentOffset;
            _lastHasMore = packet.MoreFragments;
            _produced = 0;
            _laterHeaderLength = Ipv4Packet.MinimumHeaderLength + CollectCopiedOptions(_src, packet.OptionsOffset, packet.OptionsLength);
            return true;
        }

        /// <summary>
        /// Writes the next fragment at dst[dstOff] (room: <paramref name="room"/> bytes, at least the MTU) and
        /// returns its length; 0 when every fragment has been written (or Begin failed), -1 when the room is too small.
        /// </summary>
        public int Next(byte[] dst, int dstOff, int room)
        {
            if (_src == null || _position >= _payloadLength)
            {
                return 0;
            }

            if (dst == null || dstOff < 0 || room < _mtu || dstOff > dst.Length - room)
            {
                return -1;
            }

            bool first = _position == 0;
            int header = first ? _headerLength : _laterHeaderLength;
            int data = _payloadLength - _position;
            bool last = true;
            if (header + data > _mtu)
            {
                data = (_mtu - header) & ~7;
                last = false;
            }

            System.Array.Copy(_src, _off, dst, dstOff, first ? _headerLength : Ipv4Packet.MinimumHeaderLength);
            if (!first)
            {
                System.Array.Copy(_copiedOptions, 0, dst, dstOff + Ipv4Packet.MinimumHeaderLength, header - Ipv4Packet.MinimumHeaderLength);
                dst[dstOff] = (byte)(0x40 | (header / 4));
            }

            System.Array.Copy(_src, _off + _headerLength + _position, dst, dstOff + header, data);
            int flags = (_baseUnits + _position / 8) & OffsetMask;
            if (!last || _lastHasMore)
            {
                flags |= MoreFragmentsBit;
            }

            NetworkByteOrder.WriteUInt16(dst, dstOff + 2, header + data);
            NetworkByteOrder.WriteUInt16(dst, dstOff + FlagsField, flags);
            dst[dstOff + 10] = 0;
            dst[dstOff + 11] = 0;
            NetworkByteOrder.WriteUInt16(dst, dstOff + 10, InternetChecksum.Compute(dst, dstOff, header));
            _position += data;
            _produced++;
            return header + data;
        }

        // Copies the options with the copied flag into _copiedOptions, pads to a multiple of 4 with zeros
        // (end of option list), returns the padded length. A malformed option ends the scan (what follows is
        // not copied: the first fragment still carries the original options unchanged).
        private int CollectCopiedOptions(byte[] buffer, int offset, int length)
        {
            int n = 0;
            int end = offset + length;
            int p = offset;
            while (p < end)
            {
                int type = buffer[p];
                if (type == 0)
                {
                    break;
                }

                if (type == 1)
                {
                    p++;
                    continue;
                }

                if (p + 1 >= end)
                {
                    break;
                }

                int optionLength = buffer[p + 1];
                if (optionLength < 2 || p + optionLength > end)
                {
                    break;
                }

                if ((type & 0x80) != 0)
                {
                    System.Array.Copy(buffer, p, _copiedOptions, n, optionLength);
                    n += optionLength;
                }

                p += optionLength;
            }

            int padded = (n + 3) & ~3;
            for (int i = n; i < padded; i++)
            {
                _copiedOptions[i] = 0;
            }

            return padded;
        }
    }
}
