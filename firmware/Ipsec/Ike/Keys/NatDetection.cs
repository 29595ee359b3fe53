using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// NAT_DETECTION_SOURCE_IP / NAT_DETECTION_DESTINATION_IP data (RFC 7296 §2.23):
    /// SHA-1(SPIi | SPIr | IP address | Port), 20 octets, every field in network byte order.
    /// </summary>
    public static class NatDetection
    {
        /// <summary>Length of the hash (SHA-1 digest).</summary>
        public const int HashLength = 20;

        /// <summary>
        /// Writes the 20-octet hash at output[outputOffset]. <paramref name="address"/> (IPv4) and
        /// <paramref name="port"/> are host order. <paramref name="sha1"/> must be a SHA-1 <see cref="IHash"/>.
        /// The output range doubles as scratch for the fields (no allocation). Out-of-range output is ignored.
        /// </summary>
        public static void Hash(IHash sha1, ulong spiI, ulong spiR, uint address, int port, byte[] output, int outputOffset)
        {
            if (sha1 == null || output == null || outputOffset < 0 || outputOffset > output.Length - HashLength) return;
            sha1.Reset();
            WriteUInt64(output, outputOffset, spiI);
            sha1.Update(output, outputOffset, 8);
            WriteUInt64(output, outputOffset, spiR);
            sha1.Update(output, outputOffset, 8);
            output[outputOffset] = (byte)(address >> 24);
            output[outputOffset + 1] = (byte)(address >> 16);
            output[outputOffset + 2] = (byte)(address >> 8);
            output[outputOffset + 3] = (byte)address;
            output[outputOffset + 4] = (byte)(port >> 8);
            output[outputOffset + 5] = (byte)port;
            sha1.Update(output, outputOffset, 6);
            sha1.Final(output, outputOffset);
        }

        static void WriteUInt64(byte[] b, int o, ulong v)
        {
            for (int i = 7; i >= 0; i--)
            {
                b[o + i] = (byte)v;
                v >>= 8;
            }
        }
    }
}
