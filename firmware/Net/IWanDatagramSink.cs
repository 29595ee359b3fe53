namespace VpnAppliance.Net
{
    /// <summary>
    /// Where the router passes the WAN datagrams (UDP 500/4500) the appliance drains: the IKE/ESP engine. It owns
    /// the PacketPool buffer from the call on, exactly like the appliance's packet handler contract, and gives
    /// decrypted inner packets back through <see cref="Router.ReceiveFromTunnel(int,int,int,int,long)"/>.
    /// </summary>
    public interface IWanDatagramSink
    {
        /// <summary>A datagram in pool buffer <paramref name="buffer"/> (offset 0, <paramref name="length"/> bytes).</summary>
        void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs);
    }
}
