using System.Buffers.Binary;
using VpnAppliance.Hal;

namespace VpnAppliance.VpnSim.Demo;

/// <summary>
/// A virtual IPv4 host on a simulated Ethernet port (host-only code for the demo): answers ARP for its address,
/// answers ICMP echo requests (to the sender's MAC, so a reply leaves through the gateway that delivered the
/// request, as a VNet host behind two gateway instances does), and sends pings to a target through its default
/// gateway. Echo replies are recorded by sequence number.
/// </summary>
public sealed class SimIpHost
{
    private readonly INetPort _port;
    private readonly byte[] _mac = new byte[6];
    private readonly byte[] _rx = new byte[2048];
    private readonly Dictionary<uint, byte[]> _arp = new();
    private readonly Queue<(uint Target, ushort Seq)> _waitingForArp = new();
    private ushort _id = 0x4242;

    public SimIpHost(string name, INetPort port, uint address, uint gateway)
    {
        Name = name;
        _port = port;
        Address = address;
        Gateway = gateway;
        port.GetMacAddress(_mac, 0);
    }

    public string Name { get; }
    public uint Address { get; }
    public uint Gateway { get; }
    /// <summary>Echo replies received: sequence -> time (ms).</summary>
    public Dictionary<ushort, long> Replies { get; } = new();
    public int EchoRequestsAnswered { get; private set; }

    /// <summary>Sends ICMP echo request <paramref name="seq"/> to <paramref name="target"/> via the gateway.</summary>
    public void Ping(uint target, ushort seq)
    {
        if (!_arp.TryGetValue(Gateway, out byte[]? mac))
        {
            _waitingForArp.Enqueue((target, seq));
            SendArp(1, Broadcast, Gateway);
            return;
        }

        SendEcho(mac, target, 8, _id, seq, 56);
    }

    private static readonly byte[] Broadcast = { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF };

    /// <summary>Drains the port; returns the next deadline (none: idle).</summary>
    public long Poll(long nowMs)
    {
        for (int guard = 0; guard < 256; guard++)
        {
            int n = _port.Receive(_rx, 0, _rx.Length);
            if (n <= 0) break;
            Handle(_rx.AsSpan(0, n), nowMs);
        }

        return long.MaxValue;
    }

    private void Handle(ReadOnlySpan<byte> f, long nowMs)
    {
        if (f.Length < 14) return;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(f[12..]);
        if (type == 0x0806 && f.Length >= 42)
        {
            ushort op = BinaryPrimitives.ReadUInt16BigEndian(f[20..]);
            uint sender = BinaryPrimitives.ReadUInt32BigEndian(f[28..]);
            uint target = BinaryPrimitives.ReadUInt32BigEndian(f[38..]);
            _arp[sender] = f.Slice(22, 6).ToArray();
            if (op == 1 && target == Address) SendArp(2, f.Slice(22, 6).ToArray(), sender);
            while (_waitingForArp.Count > 0 && _arp.ContainsKey(Gateway))
            {
                var (t, s) = _waitingForArp.Dequeue();
                SendEcho(_arp[Gateway], t, 8, _id, s, 56);
            }

            return;
        }

        if (type != 0x0800 || f.Length < 34) return;
        var ip = f[14..];
        int ihl = (ip[0] & 0xF) * 4;
        if (ip[9] != 1 || ip.Length < ihl + 8) return;
        uint src = BinaryPrimitives.ReadUInt32BigEndian(ip[12..]);
        uint dst = BinaryPrimitives.ReadUInt32BigEndian(ip[16..]);
        if (dst != Address) return;
        var icmp = ip[ihl..];
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(icmp[4..]);
        ushort seq = BinaryPrimitives.ReadUInt16BigEndian(icmp[6..]);
        if (icmp[0] == 8)
        {
            EchoRequestsAnswered++;
            SendEcho(f.Slice(6, 6).ToArray(), src, 0, id, seq, BinaryPrimitives.ReadUInt16BigEndian(ip[2..]) - ihl - 8);
        }
        else if (icmp[0] == 0 && id == _id)
        {
            Replies.TryAdd(seq, nowMs);
        }
    }

    private void SendArp(ushort op, byte[] targetMac, uint target)
    {
        var f = new byte[42];
        (op == 1 ? Broadcast : targetMac).CopyTo(f, 0);
        _mac.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0806);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(14), 1);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), 0x0800);
        f[18] = 6;
        f[19] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(20), op);
        _mac.CopyTo(f, 22);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(28), Address);
        if (op == 2) targetMac.CopyTo(f, 32);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(38), target);
        _port.Send(f, 0, f.Length);
    }

    private void SendEcho(byte[] dstMac, uint dst, byte type, ushort id, ushort seq, int payload)
    {
        if (payload < 0) payload = 0;
        int ipLen = 20 + 8 + payload;
        var f = new byte[14 + ipLen];
        dstMac.CopyTo(f, 0);
        _mac.CopyTo(f, 6);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(12), 0x0800);
        var ip = f.AsSpan(14);
        ip[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLen);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], seq);
        ip[8] = 64;
        ip[9] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], Address);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], dst);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum(ip[..20]));
        var icmp = ip[20..];
        icmp[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[4..], id);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], seq);
        for (int i = 0; i < payload; i++) icmp[8 + i] = (byte)i;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], Checksum(icmp[..(8 + payload)]));
        _port.Send(f, 0, f.Length);
    }

    /// <summary>RFC 1071 Internet checksum.</summary>
    private static ushort Checksum(ReadOnlySpan<byte> data)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < data.Length; i += 2) sum += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        if ((data.Length & 1) != 0) sum += (uint)data[^1] << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xFFFF) + (sum >> 16);
        return (ushort)~sum;
    }
}
