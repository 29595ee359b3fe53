using System.Buffers.Binary;
using VpnAppliance.Core;
using VpnAppliance.Firmware;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Net;
using VpnAppliance.Tcp;

namespace VpnAppliance.Tests.Core;

/// <summary>
/// The packet plane as the appliance composes it: router + TCP + ping wired in the constructor, the running
/// configuration applied to the router and the FIB, the TCP stack described exactly by the budget.
/// Frames are built by hand (Ethernet II, RFC 826 ARP, RFC 791 IPv4, RFC 792 ICMP).
/// </summary>
public class PacketPlaneTests
{
    private static readonly byte[] OurMac = { 2, 0, 0, 0, 0, 1 };
    private static readonly byte[] HostMac = { 2, 0, 0, 0, 0, 0x10 };
    private static readonly uint OurIp = Ip(192, 168, 50, 1);
    private static readonly uint HostIp = Ip(192, 168, 50, 10);

    private const string Config =
        "set system host-name test\n" +
        "set interfaces lan address 192.168.50.1/24\n" +
        "set interfaces loopback address 10.255.0.1/32\n" +
        "set protocols static route 10.20.0.0/16 next-hop address 192.168.50.20\n";

    private static uint Ip(int a, int b, int c, int d) => (uint)(a << 24 | b << 16 | c << 8 | d);

    private static Capacities Small() => new()
    {
        Routes = 16, TrieNodes = 16, FibRootBits = 8, NextHopGroups = 8, PathsPerGroup = 4, BgpPeers = 2, BgpPaths = 16,
        IkeSas = 2, ChildSas = 4, Tunnels = 2, PacketBuffers = 32, PacketBufferSize = 1664, ArpEntries = 4,
        TcpConnections = 4, TcpBufferSize = 8192, LogLines = 8, Timers = 8,
    };

    private sealed class Rig
    {
        public readonly MemorySerial Console = new(4096, 1 << 20);
        public readonly MemoryNetPort Lan = new(OurMac, 0, 64, 256, 1514);
        public readonly Appliance Appliance;

        public Rig(string config = Config, Capacities? capacities = null)
        {
            Appliance = new Appliance(new BoardInfo("test-board", "test-chip", 1 << 20, capacities ?? Small()),
                new ApplianceHal { Console = Console, Lan = Lan, LogSink = new MemoryLogSink(64), Entropy = new SeededEntropy(7) });
            var parsed = Appliance.LoadConfig(config);
            Assert.True(parsed.Ok, string.Join("; ", parsed.Errors.Select(e => e.ToString())));
        }

        public List<byte[]> Sent()
        {
            var frames = new List<byte[]>();
            var buf = new byte[2048];
            for (int n; (n = Lan.TakeSent(buf, 0, buf.Length)) > 0;)
            {
                frames.Add(buf.AsSpan(0, n).ToArray());
            }

            return frames;
        }
    }

    private sealed class NullOutput : ITcpOutput
    {
        public void SendSegment(uint source, uint destination, byte[] buffer, int offset, int length, int ttl, long nowMs) { }
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(4, 4096)]
    [InlineData(10, 16384)]
    public void TcpStackBudgetIsWhatTheStackAllocates(int connections, int bufferSize)
    {
        var settings = new TcpSettings { VerifyChecksum = false };
        var secret = new byte[16];
        var output = new NullOutput();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stack = new TcpStack(connections, bufferSize, secret, output, settings);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(stack);
        var budget = new MemoryBudget();
        TcpStackBudget.Account(budget, connections, bufferSize, settings);
        Assert.Equal(budget.HostBytes, allocated);
    }

    [Fact]
    public void ConfigurationSetsTheLanAddressLoopbackConnectedAndStaticRoutes()
    {
        var rig = new Rig();
        Router r = rig.Appliance.Router;
        Assert.Equal(OurIp, r.LanAddress);
        Assert.Equal(Ip(10, 255, 0, 1), r.LoopbackAddress);
        Assert.Equal(2, rig.Appliance.Fib.Count);
        int g = rig.Appliance.Fib.Lookup(HostIp);
        Assert.True(g >= 0);
        Assert.Equal(Router.LanInterface, rig.Appliance.NextHopGroups.MemberInterface(g, 0));
        Assert.Equal(0u, rig.Appliance.NextHopGroups.MemberGateway(g, 0));
        g = rig.Appliance.Fib.Lookup(Ip(10, 20, 3, 4));
        Assert.Equal(Ip(192, 168, 50, 20), rig.Appliance.NextHopGroups.MemberGateway(g, 0));

        // A new configuration replaces the routes: the old LAN subnet and the static route are gone, groups freed.
        var parsed = rig.Appliance.LoadConfig("set interfaces lan address 172.16.1.1/24\n");
        Assert.True(parsed.Ok);
        Assert.Equal(1, rig.Appliance.Fib.Count);
        Assert.Equal(-1, rig.Appliance.Fib.Lookup(HostIp));
        Assert.True(rig.Appliance.Fib.Lookup(Ip(172, 16, 1, 9)) >= 0);
        Assert.Equal(1, rig.Appliance.NextHopGroups.InUse);
        Assert.Equal(0u, r.LoopbackAddress);

        // A refused configuration leaves everything as it was.
        Assert.False(rig.Appliance.LoadConfig("set interfaces lan address banana\n").Ok);
        Assert.Equal(Ip(172, 16, 1, 1), r.LanAddress);
    }

    [Fact]
    public void TunnelMssAndMtuComeFromTheConfigurationAndRoutesViaTunnelsWait()
    {
        var rig = new Rig(Config +
            "set interfaces wan address 198.18.0.2/24\n" +
            "set vpn ike-group IKE proposal aes256-sha256-modp2048\n" +
            "set vpn esp-group ESP proposal aes256-sha256-modp2048\n" +
            "set vpn peer azure address 198.18.1.10\n" +
            "set vpn peer azure psk \"a shared key of some length\"\n" +
            "set vpn peer azure ike-group IKE\n" +
            "set vpn peer azure esp-group ESP\n" +
            "set vpn tunnel vti1 peer azure\n" +
            "set vpn tunnel vti1 address 169.254.21.2/30\n" +
            "set vpn tunnel vti1 mtu 1400\n" +
            "set vpn tunnel vti1 mss 1350\n" +
            "set protocols static route 10.30.0.0/16 next-hop tunnel vti1\n");
        Router r = rig.Appliance.Router;
        Assert.Equal(1350, r.TunnelMss(1));
        Assert.Equal(1400, rig.Appliance.PlaneConfig.TunnelMtu(1));
        Assert.Equal(0, rig.Appliance.PlaneConfig.TunnelMtu(2));
        Assert.Equal(1, rig.Appliance.PlaneConfig.RoutesPending);
        Assert.Equal(-1, rig.Appliance.Fib.Lookup(Ip(10, 30, 0, 1)));
    }

    [Fact]
    public void ApplianceAnswersArpAndPingOnItsLanAddress()
    {
        var rig = new Rig();
        rig.Appliance.Poll(1000);
        List<byte[]> sent = rig.Sent();
        Assert.Single(sent); // the first gratuitous ARP announcement (RFC 5227 §3)

        byte[] arp = ArpRequest(HostMac, HostIp, OurIp);
        byte[] echo = EchoRequest(OurMac, HostMac, HostIp, OurIp, 0x1234, 1, 56);
        Assert.True(rig.Lan.Inject(arp, 0, arp.Length));
        Assert.True(rig.Lan.Inject(echo, 0, echo.Length));
        rig.Appliance.Poll(1001);
        sent = rig.Sent();
        Assert.Equal(2, sent.Count);
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(sent[0].AsSpan(20))); // ARP reply
        Assert.Equal(OurIp, BinaryPrimitives.ReadUInt32BigEndian(sent[0].AsSpan(28)));
        byte[] reply = sent[1];
        Assert.Equal(0, reply[34]); // echo reply
        Assert.Equal(HostIp, BinaryPrimitives.ReadUInt32BigEndian(reply.AsSpan(30)));
        Assert.Equal(0, rig.Appliance.Packets.InUse);
    }

    [Fact]
    public void ConsolePingSendsRequestsAndReportsReplies()
    {
        var rig = new Rig();
        rig.Appliance.Poll(0);
        rig.Sent();
        // Learn the host first, so the requests go out at once.
        byte[] arp = ArpRequest(HostMac, HostIp, OurIp);
        rig.Lan.Inject(arp, 0, arp.Length);
        rig.Appliance.Poll(1);
        rig.Sent();

        rig.Console.PushText("ping 192.168.50.10 count 2\r\n");
        long now = 10;
        for (int i = 0; i < 20 && (i == 0 || rig.Appliance.Ping.Active); i++, now += 500)
        {
            rig.Appliance.Poll(now);
            foreach (byte[] f in rig.Sent())
            {
                if (f.Length >= 42 && f[12] == 8 && f[13] == 0 && f[23] == 1 && f[34] == 8)
                {
                    // Play the host: echo the request back as a reply 3 ms later.
                    ushort id = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(38));
                    ushort seq = BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(40));
                    byte[] r = EchoReply(OurMac, HostMac, HostIp, OurIp, id, seq, f.Length - 42);
                    rig.Lan.Inject(r, 0, r.Length);
                    rig.Appliance.Poll(now + 3);
                }
            }
        }

        string output = rig.Console.OutputText();
        Assert.Contains("PING 192.168.50.10 56 data bytes", output);
        Assert.Contains("56 bytes from 192.168.50.10: icmp_seq=1 time=3 ms", output);
        Assert.Contains("icmp_seq=2 time=3 ms", output);
        Assert.Contains("2 packets transmitted, 2 received, 0% packet loss", output);
        Assert.False(rig.Appliance.Ping.Active);
    }

    [Fact]
    public void ShowInterfacesPrintsCountersAndDrops()
    {
        var rig = new Rig();
        rig.Appliance.Poll(0);
        byte[] echo = EchoRequest(OurMac, HostMac, HostIp, Ip(203, 0, 113, 9), 1, 1, 8); // no route
        rig.Lan.Inject(echo, 0, echo.Length);
        rig.Appliance.Poll(1);
        rig.Console.PushText("show interfaces\r\n");
        rig.Appliance.Poll(2);
        string output = rig.Console.OutputText();
        Assert.Contains("lan        up     192.168.50.1/24", output);
        Assert.Contains("lo         up     10.255.0.1/32", output);
        Assert.Contains("drops: no-route 1", output);
        Assert.Contains("routes installed 2", output);
        Assert.Contains("tcp connections 0/4", output);
    }

    [Fact]
    public void TcpToOurOwnAddressGoesThroughTheLoopbackQueue()
    {
        var rig = new Rig();
        TcpStack tcp = rig.Appliance.Tcp;
        Assert.Equal(TcpResult.Ok, tcp.Listen(0, 8179, out int listener));
        Assert.Equal(TcpResult.Ok, tcp.Connect(OurIp, 0, Ip(10, 255, 0, 1), 8179, 0, out int client));
        Assert.Equal(1, rig.Appliance.TcpModule.QueuedSegments); // the SYN waits: the stack is not re-entered

        var data = new byte[20000];
        new Random(5).NextBytes(data);
        var got = new MemoryStream();
        int server = -1, sent = 0;
        var buf = new byte[4096];
        long now = 0;
        for (int i = 0; i < 1000 && got.Length < data.Length; i++, now++)
        {
            rig.Appliance.Poll(now);
            if (server < 0 && tcp.Accept(listener, out int id) == TcpResult.Ok)
            {
                server = id;
            }

            if (sent < data.Length && tcp.State(client) == TcpState.Established)
            {
                int n = tcp.Send(client, data, sent, data.Length - sent);
                sent += Math.Max(n, 0);
            }

            if (server >= 0)
            {
                for (int n; (n = tcp.Receive(server, buf, 0, buf.Length)) > 0;)
                {
                    got.Write(buf, 0, n);
                }
            }
        }

        Assert.Equal(data, got.ToArray());
        Assert.Equal(0, rig.Appliance.TcpModule.LoopbackDrops);
        Assert.DoesNotContain(rig.Sent(), f => f[12] == 8 && f[13] == 0); // nothing of it left by the LAN
    }

    [Fact]
    public void AnsweringPingsAndTcpToOurselvesAllocateNothingInSteadyState()
    {
        var rig = new Rig();
        TcpStack tcp = rig.Appliance.Tcp;
        byte[] arp = ArpRequest(HostMac, HostIp, OurIp);
        rig.Lan.Inject(arp, 0, arp.Length);
        rig.Appliance.Poll(0);
        Assert.Equal(TcpResult.Ok, tcp.Listen(0, 8179, out int listener));
        Assert.Equal(TcpResult.Ok, tcp.Connect(OurIp, 0, OurIp, 8179, 0, out int client));
        int server = -1;
        var data = new byte[1000];
        var buf = new byte[2048];
        var sink = new byte[2048];
        byte[] echo = EchoRequest(OurMac, HostMac, HostIp, OurIp, 7, 1, 56);
        long now = 1;
        long allocated = 0;
        for (int round = 0; round < 2; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 2000; i++, now++)
            {
                rig.Lan.Inject(echo, 0, echo.Length);
                rig.Appliance.Poll(now);
                while (rig.Lan.TakeSent(sink, 0, sink.Length) > 0)
                {
                }

                if (server < 0 && tcp.Accept(listener, out int id) == TcpResult.Ok)
                {
                    server = id;
                }

                if (server >= 0)
                {
                    tcp.Send(client, data, 0, data.Length);
                    while (tcp.Receive(server, buf, 0, buf.Length) > 0)
                    {
                    }
                }
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before; // the first round warms up
        }

        Assert.True(server >= 0);
        Assert.True(tcp.Counters.SegmentsReceived > 2000);
        Assert.True(rig.Appliance.Router.LocalDelivered > 4000);
        Assert.Equal(0, allocated);
    }

    private sealed class ConnectingModule(Appliance appliance, uint to) : IApplianceModule
    {
        public string Name => "bgp-like";

        public long Poll(long nowMs)
        {
            if (appliance.Tcp.InUse == 1)
            {
                Assert.Equal(TcpResult.Ok, appliance.Tcp.Connect(OurIp, 0, to, 8179, nowMs, out _));
            }

            return Appliance.Never;
        }
    }

    [Fact]
    public void OutputALaterModuleLeavesInTheTcpIsNotLeftWaiting()
    {
        var rig = new Rig();
        Assert.Equal(TcpResult.Ok, rig.Appliance.Tcp.Listen(0, 8179, out _));
        Assert.True(rig.Appliance.AddModule(new ConnectingModule(rig.Appliance, OurIp)));
        Assert.Equal(1000, rig.Appliance.Poll(1000)); // the SYN to ourselves is queued: poll again now
        Assert.Equal(1, rig.Appliance.TcpModule.QueuedSegments);
    }

    private const string BgpTtlConfig = Config +
        "set protocols bgp local-as 65010\n" +
        "set protocols bgp neighbor 192.168.50.10 remote-as 65020\n" +
        "set protocols bgp neighbor 192.168.50.11 remote-as 65021\n" +
        "set protocols bgp neighbor 192.168.50.11 ebgp-multihop 3\n" +
        "set protocols bgp neighbor 192.168.50.12 remote-as 65010\n" +
        "set protocols bgp neighbor 192.168.50.13 remote-as 65023\n" +
        "set protocols bgp neighbor 192.168.50.13 ebgp-multihop 2\n" +
        "set protocols bgp neighbor 192.168.50.13 connect-mode passive\n";

    [Fact]
    public void BgpSessionsLeaveWithTheirTtlOnTheWire()
    {
        // eBGP directly connected: TTL 1; ebgp-multihop 3: TTL 3; iBGP: 64 (RFC 4271 leaves TTL to the
        // implementation; single-hop eBGP with TTL 1 is what BIRD and FRR do). The IP header on the LAN is checked.
        Capacities c = Small();
        c.BgpPeers = 4;
        c.TcpConnections = 6;
        var rig = new Rig(BgpTtlConfig, c);
        var synTtl = new Dictionary<uint, int>();
        long now = 0;
        for (int step = 0; step < 600 && synTtl.Count < 3; step++, now += 100)
        {
            rig.Appliance.Poll(now);
            foreach (byte[] f in rig.Sent())
            {
                if (f[12] == 0x08 && f[13] == 0x06 && f[21] == 1)
                {
                    uint target = BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(38));
                    byte[] reply = ArpReply(HostMac, target, OurMac, OurIp);
                    rig.Lan.Inject(reply, 0, reply.Length);
                }
                else if (f[12] == 0x08 && f[13] == 0x00 && f[23] == 6 && BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(36)) == 179)
                {
                    synTtl[BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(30))] = f[22];
                }
            }
        }

        Assert.Equal(1, synTtl[Ip(192, 168, 50, 10)]);
        Assert.Equal(3, synTtl[Ip(192, 168, 50, 11)]);
        Assert.Equal(64, synTtl[Ip(192, 168, 50, 12)]);
        Assert.False(synTtl.ContainsKey(Ip(192, 168, 50, 13))); // passive: never opens

        // The passive neighbour opens: our SYN-ACK already carries its TTL (set when the configuration was applied).
        byte[] syn = TcpSyn(OurMac, HostMac, Ip(192, 168, 50, 13), OurIp, 50123, 179);
        rig.Lan.Inject(syn, 0, syn.Length);
        rig.Appliance.Poll(now);
        byte[] arp = Assert.Single(rig.Sent()); // .13 is not in the ARP cache yet
        Assert.Equal(Ip(192, 168, 50, 13), BinaryPrimitives.ReadUInt32BigEndian(arp.AsSpan(38)));
        byte[] answer = ArpReply(HostMac, Ip(192, 168, 50, 13), OurMac, OurIp);
        rig.Lan.Inject(answer, 0, answer.Length);
        rig.Appliance.Poll(now + 1);
        byte[] synAck = Assert.Single(rig.Sent(), f => f[12] == 0x08 && f[13] == 0x00 && f[23] == 6
            && BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(30)) == Ip(192, 168, 50, 13));
        Assert.Equal(0x12, synAck[14 + 20 + 13]); // SYN + ACK
        Assert.Equal(2, synAck[22]);
    }

    private static byte[] ArpReply(byte[] senderMac, uint senderIp, byte[] targetMac, uint targetIp)
    {
        byte[] f = ArpRequest(senderMac, senderIp, targetIp);
        targetMac.CopyTo(f, 0);
        f[21] = 2;
        targetMac.CopyTo(f, 32);
        return f;
    }

    private static byte[] TcpSyn(byte[] dstMac, byte[] srcMac, uint src, uint dst, int srcPort, int dstPort)
    {
        var f = new byte[14 + 20 + 20];
        dstMac.CopyTo(f, 0);
        srcMac.CopyTo(f, 6);
        f[12] = 0x08; f[13] = 0x00;
        var tcp = new VpnAppliance.Wire.TcpRepr { SourcePort = (ushort)srcPort, DestinationPort = (ushort)dstPort, SequenceNumber = 1000, Flags = VpnAppliance.Wire.TcpFlags.Syn, Window = 8192 };
        Assert.Equal(VpnAppliance.Wire.WireResult.Ok, tcp.Emit(f, 34, 20, src, dst));
        f[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), 40);
        f[22] = 1; f[23] = 6;
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(26), src);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(30), dst);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), Checksum(f, 14, 20));
        return f;
    }

    private static byte[] ArpRequest(byte[] senderMac, uint senderIp, uint targetIp)
    {
        var f = new byte[42];
        for (int i = 0; i < 6; i++)
        {
            f[i] = 0xFF;
        }

        senderMac.CopyTo(f, 6);
        f[12] = 0x08; f[13] = 0x06;
        f[14] = 0; f[15] = 1; f[16] = 8; f[17] = 0; f[18] = 6; f[19] = 4; f[20] = 0; f[21] = 1;
        senderMac.CopyTo(f, 22);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(28), senderIp);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(38), targetIp);
        return f;
    }

    private static byte[] EchoRequest(byte[] dstMac, byte[] srcMac, uint src, uint dst, ushort id, ushort seq, int dataLength) =>
        Echo(8, dstMac, srcMac, src, dst, id, seq, dataLength);

    private static byte[] EchoReply(byte[] dstMac, byte[] srcMac, uint src, uint dst, ushort id, ushort seq, int dataLength) =>
        Echo(0, dstMac, srcMac, src, dst, id, seq, dataLength);

    private static byte[] Echo(byte type, byte[] dstMac, byte[] srcMac, uint src, uint dst, ushort id, ushort seq, int dataLength)
    {
        var f = new byte[14 + 20 + 8 + dataLength];
        dstMac.CopyTo(f, 0);
        srcMac.CopyTo(f, 6);
        f[12] = 0x08; f[13] = 0x00;
        f[14] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(16), (ushort)(20 + 8 + dataLength));
        f[22] = 64; f[23] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(26), src);
        BinaryPrimitives.WriteUInt32BigEndian(f.AsSpan(30), dst);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(24), Checksum(f, 14, 20));
        f[34] = type;
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(38), id);
        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(40), seq);
        for (int i = 0; i < dataLength; i++)
        {
            f[42 + i] = (byte)(0x10 + i);
        }

        BinaryPrimitives.WriteUInt16BigEndian(f.AsSpan(36), Checksum(f, 34, 8 + dataLength));
        return f;
    }

    // RFC 1071: one's complement of the one's complement sum of 16-bit words.
    private static ushort Checksum(byte[] b, int off, int len)
    {
        uint sum = 0;
        for (int i = 0; i + 1 < len; i += 2)
        {
            sum += (uint)(b[off + i] << 8 | b[off + i + 1]);
        }

        if ((len & 1) != 0)
        {
            sum += (uint)(b[off + len - 1] << 8);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
