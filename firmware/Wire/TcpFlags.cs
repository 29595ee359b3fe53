namespace VpnAppliance.Wire
{
    /// <summary>TCP control bits, byte 13 of the header (RFC 9293 §3.1; ECE and CWR from RFC 3168 §6.1).</summary>
    public static class TcpFlags
    {
        /// <summary>No more data from sender.</summary>
        public const byte Fin = 0x01;

        /// <summary>Synchronize sequence numbers.</summary>
        public const byte Syn = 0x02;

        /// <summary>Reset the connection.</summary>
        public const byte Rst = 0x04;

        /// <summary>Push function.</summary>
        public const byte Psh = 0x08;

        /// <summary>Acknowledgment field is significant.</summary>
        public const byte Ack = 0x10;

        /// <summary>Urgent pointer field is significant.</summary>
        public const byte Urg = 0x20;

        /// <summary>ECN-Echo.</summary>
        public const byte Ece = 0x40;

        /// <summary>Congestion window reduced.</summary>
        public const byte Cwr = 0x80;
    }
}
