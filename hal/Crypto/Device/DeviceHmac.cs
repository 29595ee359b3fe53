using System.Security.Cryptography;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Hal.Crypto.Device
{
    /// <summary>
    /// HMAC-SHA-256 / HMAC-SHA-512 through nanoFramework's native HMACSHA256/HMACSHA512 (mbedTLS in the firmware).
    /// The runtime only offers one-shot byte[] ComputeHash(byte[]) over a whole array, so Update appends
    /// into a fixed message buffer and Final hands the runtime an array of exactly the message length, taken
    /// from a small cache of exact-length arrays (<see cref="ExactLengthBuffers"/>); the runtime's result array
    /// is a per-message allocation this API cannot avoid. Messages longer than the buffer fall back to
    /// the managed HMAC with the same key.
    /// </summary>
    public sealed class DeviceHmac : IMac
    {
        /// <summary>Longest message handled natively (an ESP packet: header + IV + 1,500 bytes).</summary>
        public const int MaxNativeLength = 1600;

        private readonly bool _sha512;
        private readonly IMac _fallback;
        private readonly byte[] _message = new byte[MaxNativeLength];
        private readonly ExactLengthBuffers _exact = new ExactLengthBuffers();
        private HMACSHA256 _hmac256;
        private HMACSHA512 _hmac512;
        private int _length;
        private bool _overflow;

        /// <summary>Creates the MAC; <paramref name="fallback"/> is a managed HMAC over the same hash.</summary>
        public DeviceHmac(bool sha512, IMac fallback)
        {
            _sha512 = sha512;
            _fallback = fallback;
        }

        /// <summary>32 or 64.</summary>
        public int MacLength { get { return _sha512 ? 64 : 32; } }

        /// <summary>Sets the key on the native object and on the fallback.</summary>
        public CryptoResult SetKey(byte[] key, int offset, int count)
        {
            CryptoResult result = _fallback.SetKey(key, offset, count);
            if (result != CryptoResult.Ok)
            {
                return result;
            }

            byte[] exact = new byte[count];
            if (count > 0)
            {
                System.Array.Copy(key, offset, exact, 0, count);
            }

            if (_sha512)
            {
                _hmac512 = new HMACSHA512(exact);
            }
            else
            {
                _hmac256 = new HMACSHA256(exact);
            }

            Reset();
            return CryptoResult.Ok;
        }

        /// <summary>Starts a new message.</summary>
        public void Reset()
        {
            _length = 0;
            _overflow = false;
        }

        /// <summary>
        /// Buffers bytes for the native one-shot call; a message that outgrows the buffer moves to the managed
        /// fallback (which is then fed what was buffered so far), so the fallback costs nothing on ESP-sized messages.
        /// </summary>
        public void Update(byte[] data, int offset, int count)
        {
            if (!_overflow && _length + count <= MaxNativeLength)
            {
                System.Array.Copy(data, offset, _message, _length, count);
                _length += count;
                return;
            }

            if (!_overflow)
            {
                _overflow = true;
                _fallback.Reset();
                _fallback.Update(_message, 0, _length);
            }

            _fallback.Update(data, offset, count);
        }

        /// <summary>Writes the full HMAC and starts the next message.</summary>
        public void Final(byte[] output, int offset)
        {
            if (_overflow || (_hmac256 == null && _hmac512 == null))
            {
                _fallback.Final(output, offset);
                Reset();
                return;
            }

            byte[] message = _exact.Get(_length);
            System.Array.Copy(_message, 0, message, 0, _length);
            byte[] mac = _sha512 ? _hmac512.ComputeHash(message) : _hmac256.ComputeHash(message);
            System.Array.Copy(mac, 0, output, offset, MacLength);
            System.Array.Clear(message, 0, message.Length);
            Reset();
        }

        /// <summary>Drops the native objects and zeroises buffered data and the fallback's key.</summary>
        public void Clear()
        {
            if (_hmac256 != null)
            {
                _hmac256.Dispose();
                _hmac256 = null;
            }

            if (_hmac512 != null)
            {
                _hmac512.Dispose();
                _hmac512 = null;
            }

            System.Array.Clear(_message, 0, _message.Length);
            _exact.Clear();
            _fallback.Clear();
            _length = 0;
        }
    }
}
