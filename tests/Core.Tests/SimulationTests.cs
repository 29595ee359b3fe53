using VpnAppliance.Core;
using VpnAppliance.Firmware;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Sim;

namespace VpnAppliance.Tests.Core;

/// <summary>
/// Two appliances on the in-memory WAN under the virtual clock: the wiring every later engine
/// plugs into (a module that sends, a packet handler that receives) driven by the deterministic
/// simulation, with faults from a seeded injector.
/// </summary>
public class SimulationTests
{
    /// <summary>Sends one numbered probe to a peer every second; the peer's handler echoes it back.</summary>
    private sealed class ProbeModule(Appliance appliance, UdpEndpoint peer) : IApplianceModule, IPacketHandler
    {
        private readonly byte[] _out = new byte[64];
        private long _nextSend;
        private int _sequence;
        public readonly List<(long Time, int Sequence)> Echoes = new();
        public int Echoed;

        public string Name => "probe";

        public long Poll(long nowMs)
        {
            if (peer.Port != 0 && nowMs >= _nextSend)
            {
                _sequence++;
                BitConverter.TryWriteBytes(_out.AsSpan(0, 4), _sequence);
                _out[4] = 0x51; // request
                appliance.Hal.WanNatT.SendTo(_out, 0, 64, peer);
                _nextSend = nowMs + 1000;
            }

            return peer.Port != 0 ? _nextSend : Appliance.Never;
        }

        public void OnLanFrame(int buffer, int length, long nowMs) => appliance.Packets.Release(buffer);

        public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs)
        {
            byte[] data = appliance.Packets.Data;
            int offset = appliance.Packets.Offset(buffer);
            if (length == 64 && data[offset + 4] == 0x51)
            {
                data[offset + 4] = 0x52; // reply
                appliance.Hal.WanNatT.SendTo(data, offset, 64, new UdpEndpoint(sourceAddress, sourcePort));
                Echoed++;
            }
            else if (length == 64 && data[offset + 4] == 0x52)
            {
                Echoes.Add((nowMs, BitConverter.ToInt32(data, offset)));
            }

            appliance.Packets.Release(buffer);
        }
    }

    private static Capacities Caps() => new()
    {
        Routes = 16, TrieNodes = 16, FibRootBits = 8, NextHopGroups = 4, PathsPerGroup = 4, BgpPeers = 2, BgpPaths = 16,
        IkeSas = 2, ChildSas = 4, Tunnels = 2, PacketBuffers = 8, PacketBufferSize = 1664, ArpEntries = 4,
        TcpConnections = 2, TcpBufferSize = 1024, LogLines = 8, Timers = 8,
    };

    private static (Simulation Sim, ProbeModule A, ProbeModule B, SimLink LinkA) Build(long seed, double drop)
    {
        var sim = new Simulation(seed);
        var wan = sim.AddUdpNetwork("wan");
        UdpHost hostA = wan.AddHost("branch-a", UdpNetwork.Address("198.18.0.2"), latencyMs: 15);
        UdpHost hostB = wan.AddHost("branch-b", UdpNetwork.Address("198.18.1.2"), latencyMs: 20);
        ProbeModule Make(UdpHost host, uint peerAddress, bool sends)
        {
            var port = host.CreatePort();
            Assert.Equal(PortResult.Ok, port.Bind(host.Address, 4500));
            var appliance = new Appliance(new BoardInfo(host.Name, "sim", 1 << 20, Caps()), new ApplianceHal { WanNatT = port });
            var probe = new ProbeModule(appliance, new UdpEndpoint(peerAddress, sends ? 4500 : 0));
            appliance.AddModule(probe);
            appliance.SetPacketHandler(probe);
            sim.AddNode(appliance.Poll);
            return probe;
        }

        var a = Make(hostA, hostB.Address, sends: true);
        var b = Make(hostB, hostA.Address, sends: false);
        hostA.Link.Faults.Drop = drop;
        return (sim, a, b, hostA.Link);
    }

    [Fact]
    public void ProbesCrossTheVirtualWanWithTheLinksLatency()
    {
        var (sim, a, b, _) = Build(seed: 1, drop: 0);
        sim.RunUntil(10_500);
        Assert.Equal(11, b.Echoed);
        Assert.Equal(Enumerable.Range(1, 11), a.Echoes.Select(e => e.Sequence));
        // sent at 0, 1000, ...; each way crosses both hosts' links: 2 x (15 + 20) ms
        Assert.Equal(Enumerable.Range(0, 11).Select(i => i * 1000L + 70), a.Echoes.Select(e => e.Time));
    }

    [Fact]
    public void TheSameSeedReproducesTheSameLossesAndAnotherSeedDiffers()
    {
        List<int> Run(long seed)
        {
            var (sim, a, _, _) = Build(seed, drop: 0.3);
            sim.RunUntil(60_000);
            return a.Echoes.Select(e => e.Sequence).ToList();
        }

        var first = Run(42);
        Assert.Equal(first, Run(42));
        Assert.InRange(first.Count, 15, 50); // 61 probes, each way through a 30 % lossy link
        Assert.NotEqual(first, Run(43));
    }

    [Fact]
    public void ACutLinkStopsTrafficUntilRestored()
    {
        var (sim, a, _, linkA) = Build(seed: 3, drop: 0);
        sim.At(2_500, linkA.Cut);
        sim.At(6_500, linkA.Restore);
        sim.RunUntil(9_500);
        Assert.Equal(new[] { 1, 2, 3, 8, 9, 10 }, a.Echoes.Select(e => e.Sequence));
        Assert.True(linkA.DroppedCut > 0);
    }
}
