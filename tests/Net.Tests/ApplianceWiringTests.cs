using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Firmware;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Wire;

namespace VpnAppliance.Net.Tests;

/// <summary>
/// How the appliance drives the router. firmware/Net cannot reference firmware/Appliance (the appliance will
/// reference the router), so the wiring is this adapter: IPacketHandler and IApplianceModule forward to the
/// router's methods of the same signatures. It belongs wherever the image is composed.
/// </summary>
public sealed class RouterModule(Router router) : IPacketHandler, IApplianceModule
{
    public string Name => router.Name;

    public long Poll(long nowMs) => router.Poll(nowMs);

    public void OnLanFrame(int buffer, int length, long nowMs) => router.OnLanFrame(buffer, length, nowMs);

    public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs) =>
        router.OnWanDatagram(localPort, sourceAddress, sourcePort, buffer, length, nowMs);
}

public class ApplianceWiringTests
{
    [Fact]
    public void ApplianceDrainsTheLanIntoTheRouterAndPollsIt()
    {
        var c = new Capacities
        {
            Routes = 16, TrieNodes = 32, FibRootBits = 5, NextHopGroups = 4, PathsPerGroup = 4, BgpPeers = 2, BgpPaths = 16,
            IkeSas = 2, ChildSas = 4, Tunnels = 2, PacketBuffers = 16, PacketBufferSize = 1664, ArpEntries = 4,
            TcpConnections = 2, TcpBufferSize = 1024, LogLines = 8, Timers = 8,
        };
        var mac = new byte[6];
        EthernetAddress.Write(mac, 0, Lab.RouterMac);
        var lan = new MemoryNetPort(mac, 0, 64, 64, 1514);
        var appliance = new Appliance(new BoardInfo("test", "test", 1 << 20, c), new ApplianceHal { Lan = lan, LogSink = new MemoryLogSink(16) });
        var groups = new NextHopGroupTable(c);
        var fib = new FibTable(c, groups);
        var router = new Router(c, appliance.Packets, lan, fib, groups);
        router.SetLanAddress(Lab.LanAddress, 24);
        var module = new RouterModule(router);
        appliance.SetPacketHandler(module);
        Assert.True(appliance.AddModule(module));
        int g = groups.Create();
        groups.AddMember(g, Router.LanInterface, 0, 1);
        fib.Insert(Lab.Ip(10, 0, 0, 0), 24, g);

        // First poll: the link is up, so the router announces itself; the next deadline is the second announcement.
        Assert.Equal(1000 + Router.AnnounceIntervalMs, appliance.Poll(1000));
        var sink = new byte[2048];
        int n = lan.TakeSent(sink, 0, sink.Length);
        Assert.Equal(42, n);

        // A host asks for us, then pings us: both answered within one poll.
        var arp = Packets.Frame(EthernetAddress.Broadcast, Lab.HostMac, EtherType.Arp, Packets.Arp(ArpPacket.OperationRequest, Lab.HostMac, Lab.Host, 0, Lab.LanAddress));
        var ping = Packets.Frame(Lab.RouterMac, Lab.HostMac, EtherType.Ipv4, Packets.Echo(Lab.Host, Lab.LanAddress, 5, 6));
        Assert.True(lan.Inject(arp, 0, arp.Length));
        Assert.True(lan.Inject(ping, 0, ping.Length));
        appliance.Poll(1500);
        Assert.Equal(42, lan.TakeSent(sink, 0, sink.Length));
        n = lan.TakeSent(sink, 0, sink.Length);
        var icmp = Packets.Icmp(Packets.IpOfFrame(sink.AsSpan(0, n).ToArray(), Lab.HostMac));
        Assert.Equal(IcmpMessage.TypeEchoReply, icmp.Type);
        Assert.Equal(0, appliance.Packets.InUse);
    }
}
