using System;

namespace VpnAppliance.Tcp
{
    /// <summary>
    /// Initial sequence numbers per RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport, secretkey),
    /// where M is a timer ticking every 4 microseconds (RFC 9293 §3.4.1) and F a keyed PRF (here SipHash-2-4)
    /// of the connection 4-tuple. Different 4-tuples get unrelated sequence spaces; the same 4-tuple gets
    /// monotonically increasing ISNs, so old duplicates of an earlier incarnation fall outside the window.
    /// The clock is derived from the caller's nowMs: 1 ms = 250 ticks of 4 µs.
    /// </summary>
    public sealed class InitialSequenceNumber
    {
        /// <summary>Bytes of secret used as the SipHash key (RFC 6528 §3: at least 128 bits recommended).</summary>
        public const int SecretLength = 16;

        /// <summary>4 µs ticks per millisecond.</summary>
        public const int TicksPerMillisecond = 250;

        private readonly ulong _k0;
        private readonly ulong _k1;
        private readonly byte[] _tuple = new byte[12];

        /// <summary>Keys the generator with the first 16 bytes of <paramref name="secret"/> (chosen at boot from the entropy source).</summary>
        public InitialSequenceNumber(byte[] secret)
        {
            if (secret == null || secret.Length < SecretLength)
            {
                throw new ArgumentException("ISN secret needs 16 bytes", "secret");
            }

            _k0 = SipHash24.ReadKeyWord(secret, 0);
            _k1 = SipHash24.ReadKeyWord(secret, 8);
        }

        /// <summary>F(): the keyed hash of the 4-tuple, truncated to 32 bits.</summary>
        public uint Offset(uint localAddress, int localPort, uint remoteAddress, int remotePort)
        {
            byte[] t = _tuple;
            t[0] = (byte)(localAddress >> 24); t[1] = (byte)(localAddress >> 16); t[2] = (byte)(localAddress >> 8); t[3] = (byte)localAddress;
            t[4] = (byte)(localPort >> 8); t[5] = (byte)localPort;
            t[6] = (byte)(remoteAddress >> 24); t[7] = (byte)(remoteAddress >> 16); t[8] = (byte)(remoteAddress >> 8); t[9] = (byte)remoteAddress;
            t[10] = (byte)(remotePort >> 8); t[11] = (byte)remotePort;
            return (uint)SipHash24.Hash(_k0, _k1, t, 0, t.Length);
        }

        /// <summary>The ISN for a new connection of this 4-tuple at <paramref name="nowMs"/>.</summary>
        public uint Next(uint localAddress, int localPort, uint remoteAddress, int remotePort, long nowMs)
        {
            uint m = (uint)(nowMs * TicksPerMillisecond);
            return m + Offset(localAddress, localPort, remoteAddress, remotePort);
        }
    }
}
