namespace VpnAppliance.Hal
{
    /// <summary>
    /// An IPv4 address and UDP port, mutable so that a receive can fill a caller-owned instance
    /// without allocating. Addresses are host-order <c>uint</c> (198.18.0.1 = 0xC6120001).
    /// </summary>
    public sealed class UdpEndpoint
    {
        /// <summary>IPv4 address, host byte order.</summary>
        public uint Address;

        /// <summary>UDP port, 0-65535.</summary>
        public int Port;

        /// <summary>Creates 0.0.0.0:0.</summary>
        public UdpEndpoint()
        {
        }

        /// <summary>Creates the endpoint address:port.</summary>
        public UdpEndpoint(uint address, int port)
        {
            Address = address;
            Port = port;
        }

        /// <summary>Copies another endpoint's fields into this one.</summary>
        public void Set(uint address, int port)
        {
            Address = address;
            Port = port;
        }

        /// <summary>Dotted quad and port, e.g. <c>198.18.0.1:4500</c> (allocates: for logs only).</summary>
        public override string ToString()
        {
            return ((Address >> 24) & 0xFF).ToString() + "." + ((Address >> 16) & 0xFF).ToString() + "." +
                   ((Address >> 8) & 0xFF).ToString() + "." + (Address & 0xFF).ToString() + ":" + Port.ToString();
        }
    }
}
