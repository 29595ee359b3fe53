using System;
using System.Collections.Generic;
using System.IO;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Sim;

namespace VpnAppliance.Hal.Tests;

/// <summary>
/// A stand-in appliance: owns a LAN port and a WAN UDP port, echoes every datagram it receives
/// and, when <see cref="PingEveryMs"/> is set, sends a numbered ping at that interval.
/// </summary>
internal sealed class EchoAppliance : ISimNode
{
    private readonly byte[] _buf = new byte[2048];
    private readonly UdpEndpoint _src = new UdpEndpoint();
    private long _nextPing;

    public EchoAppliance(MemoryNetPort lan, MemoryUdpPort wan)
    {
        Lan = lan;
        Wan = wan;
    }

    public MemoryNetPort Lan { get; }
    public MemoryUdpPort Wan { get; }
    public UdpEndpoint? PingTo { get; set; }
    public long PingEveryMs { get; set; }
    public int Pings { get; set; }
    public List<(long Time, int Seq)> Echoes { get; } = new();
    public int Echoed { get; private set; }

    public long Poll(long nowMs)
    {
        int n;
        while ((n = Wan.ReceiveFrom(_buf, 0, _buf.Length, _src)) >= 0)
        {
            if (n >= 5 && _buf[0] == (byte)'P')
            {
                _buf[0] = (byte)'E';
                Wan.SendTo(_buf, 0, n, _src);
                Echoed++;
            }
            else if (n >= 5 && _buf[0] == (byte)'E')
            {
                Echoes.Add((nowMs, BitConverter.ToInt32(_buf, 1)));
            }
        }

        if (PingTo == null || PingEveryMs <= 0)
        {
            return long.MaxValue;
        }

        if (nowMs >= _nextPing)
        {
            _buf[0] = (byte)'P';
            BitConverter.TryWriteBytes(_buf.AsSpan(1), Pings++);
            Wan.SendTo(_buf, 0, 64, PingTo);
            _nextPing = nowMs + PingEveryMs;
        }

        return _nextPing;
    }
}

public sealed class SimulationTests
{
    private static readonly uint A = UdpNetwork.Address("198.18.0.1");
    private static readonly uint B = UdpNetwork.Address("198.18.0.2");

    private sealed class World
    {
        public Simulation Sim = null!;
        public EthernetSwitch Lan = null!;
        public UdpNetwork Wan = null!;
        public EchoAppliance ApplianceA = null!, ApplianceB = null!;
        public MemoryNetPort Host = null!;
    }

    /// <summary>Two appliances on a LAN switch and a WAN, plus a LAN host: the shape later tests use.</summary>
    private static World Build(long seed, int wanLatencyA = 5, int wanLatencyB = 7, int maxInFlight = 4096)
    {
        var w = new World { Sim = new Simulation(seed, maxInFlight) };
        w.Lan = w.Sim.AddSwitch("lan");
        w.Wan = w.Sim.AddUdpNetwork("wan");
        MemoryNetPort lanA = w.Lan.AddPort("a", 0x020000000001, latencyMs: 1);
        MemoryNetPort lanB = w.Lan.AddPort("b", 0x020000000002, latencyMs: 1);
        w.Host = w.Lan.AddPort("host", 0x020000000003, latencyMs: 1);
        MemoryUdpPort wanA = w.Wan.AddHost("a", A, wanLatencyA).CreatePort();
        MemoryUdpPort wanB = w.Wan.AddHost("b", B, wanLatencyB).CreatePort();
        Assert.Equal(PortResult.Ok, wanA.Bind(0, 4500));
        Assert.Equal(PortResult.Ok, wanB.Bind(B, 4500));
        w.ApplianceA = new EchoAppliance(lanA, wanA);
        w.ApplianceB = new EchoAppliance(lanB, wanB);
        w.Sim.AddNode(w.ApplianceA);
        w.Sim.AddNode(w.ApplianceB);
        return w;
    }

    [Fact]
    public void TwoAppliancesPingOverTheWanWithExactLatency()
    {
        World w = Build(1);
        w.ApplianceA.PingTo = new UdpEndpoint(B, 4500);
        w.ApplianceA.PingEveryMs = 1000;
        w.Sim.RunUntil(10_000);
        Assert.Equal(10_000, w.Sim.NowMs);
        Assert.Equal(11, w.ApplianceA.Pings); // t = 0, 1000, ..., 10000
        Assert.Equal(10, w.ApplianceB.Echoed); // the ping sent at 10000 is still in flight
        Assert.Equal(10, w.ApplianceA.Echoes.Count);
        for (int i = 0; i < 10; i++)
        {
            // Round trip: 2 x (5 + 7) ms.
            Assert.Equal((i * 1000 + 24, i), w.ApplianceA.Echoes[i]);
        }
    }

    [Fact]
    public void RunUntilJumpsStraightToDeadlines()
    {
        var sim = new Simulation(1);
        var polls = new List<long>();
        long[] deadlines = { 100, 250, 10_000 };
        int k = 0;
        sim.AddNode(now =>
        {
            polls.Add(now);
            while (k < deadlines.Length && deadlines[k] <= now)
            {
                k++;
            }

            return k < deadlines.Length ? deadlines[k] : long.MaxValue;
        });
        sim.RunUntil(5000);
        Assert.Equal(new long[] { 0, 100, 250 }, polls);
        Assert.Equal(5000, sim.NowMs);
        sim.RunUntil(20_000);
        Assert.Equal(new long[] { 0, 100, 250, 5000, 10_000 }, polls);
    }

    [Fact]
    public void StepGoesToTheEarlierOfNextEventAndCallerDeadline()
    {
        var sim = new Simulation(1);
        UdpNetwork wan = sim.AddUdpNetwork("wan");
        MemoryUdpPort a = wan.AddHost("a", A, 10).CreatePort();
        MemoryUdpPort b = wan.AddHost("b", B, 20).CreatePort();
        Assert.Equal(PortResult.Ok, a.Bind(0, 0));
        Assert.Equal(PortResult.Ok, b.Bind(0, 500));
        Assert.False(sim.Step());
        Assert.Equal(0, sim.NowMs);
        a.SendTo(new byte[] { 1 }, 0, 1, new UdpEndpoint(B, 500));
        Assert.True(sim.Step(callerDeadlineMs: 4));
        Assert.Equal(4, sim.NowMs);
        Assert.True(sim.Step());
        Assert.Equal(10, sim.NowMs); // reached the core after a's uplink
        Assert.False(b.DataAvailable);
        Assert.True(sim.Step());
        Assert.Equal(30, sim.NowMs);
        Assert.True(b.DataAvailable);
        var src = new UdpEndpoint();
        Assert.Equal(1, b.ReceiveFrom(new byte[4], 0, 4, src));
        Assert.Equal(A, src.Address);
        Assert.Equal(MemoryUdpPort.FirstEphemeralPort, src.Port);
        Assert.False(sim.Step());
    }

    [Fact]
    public void RunUntilAConditionStopsAtTheInstantItHolds()
    {
        World w = Build(1);
        w.ApplianceA.PingTo = new UdpEndpoint(B, 4500);
        w.ApplianceA.PingEveryMs = 1000;
        Assert.True(w.Sim.RunUntil(() => w.ApplianceA.Echoes.Count == 3, 60_000));
        Assert.Equal(2024, w.Sim.NowMs);
        Assert.False(w.Sim.RunUntil(() => w.ApplianceA.Echoes.Count == 1000, 10_000));
        Assert.Equal(10_000, w.Sim.NowMs);
    }

    [Fact]
    public void ScheduledActionsRunAtTheirTime()
    {
        var sim = new Simulation(1);
        long ranAt = -1;
        sim.At(1234, () => ranAt = sim.NowMs);
        sim.RunUntil(1000);
        Assert.Equal(-1, ranAt);
        sim.RunUntil(2000);
        Assert.Equal(1234, ranAt);
    }

    [Fact]
    public void LivelockIsReported()
    {
        var sim = new Simulation(1) { MaxRoundsPerInstant = 100 };
        sim.AddNode(now => now);
        Assert.Throws<InvalidOperationException>(() => sim.RunUntil(10));
    }

    [Fact]
    public void SwitchFloodsThenLearns()
    {
        World w = Build(1);
        byte[] frame = new byte[60];
        byte[] rx = new byte[1514];
        // Broadcast from the host: both appliances get it.
        Fill(frame, dst: 0xFFFFFFFFFFFF, src: 0x020000000003);
        Assert.Equal(PortResult.Ok, w.Host.Send(frame, 0, 60));
        w.Sim.RunFor(10);
        Assert.Equal(60, w.ApplianceA.Lan.Receive(rx, 0, rx.Length));
        Assert.Equal(60, w.ApplianceB.Lan.Receive(rx, 0, rx.Length));
        Assert.Equal(1, w.Lan.Flooded);
        // Unicast to the learned host MAC from A: only the host gets it.
        Fill(frame, dst: 0x020000000003, src: 0x020000000001);
        Assert.Equal(PortResult.Ok, w.ApplianceA.Lan.Send(frame, 0, 60));
        w.Sim.RunFor(10);
        Assert.Equal(60, w.Host.Receive(rx, 0, rx.Length));
        Assert.Equal(0, w.ApplianceB.Lan.Receive(rx, 0, rx.Length));
        Assert.Equal(1, w.Lan.Flooded);
        // Unicast to B (never heard from): flooded to B and the host.
        Fill(frame, dst: 0x020000000002, src: 0x020000000001);
        w.ApplianceA.Lan.Send(frame, 0, 60);
        w.Sim.RunFor(10);
        Assert.Equal(60, w.ApplianceB.Lan.Receive(rx, 0, rx.Length));
        Assert.Equal(60, w.Host.Receive(rx, 0, rx.Length));
        Assert.Equal(2, w.Lan.Flooded);
    }

    [Fact]
    public void EthernetCutDropsCarrierAndInFlightFramesRestoreBringsItBack()
    {
        World w = Build(1);
        SimLink hostLink = w.Lan.LinkOf(w.Host);
        byte[] frame = new byte[60];
        byte[] rx = new byte[1514];
        Fill(frame, dst: 0xFFFFFFFFFFFF, src: 0x020000000001);
        w.ApplianceA.Lan.Send(frame, 0, 60);
        w.Sim.Pump();            // on the wire, due at t=1 at the switch, t=2 at the host
        hostLink.Cut();
        Assert.False(w.Host.LinkUp);
        Assert.Equal(PortResult.LinkDown, w.Host.Send(frame, 0, 60));
        w.Sim.RunFor(10);
        Assert.Equal(0, w.Host.Receive(rx, 0, rx.Length));
        Assert.Equal(60, w.ApplianceB.Lan.Receive(rx, 0, rx.Length));
        Assert.Equal(1, hostLink.DroppedCut);

        w.Sim.At(w.Sim.NowMs + 5, hostLink.Restore);
        w.Sim.RunFor(5);
        Assert.True(w.Host.LinkUp);
        w.ApplianceA.Lan.Send(frame, 0, 60);
        w.Sim.RunFor(10);
        Assert.Equal(60, w.Host.Receive(rx, 0, rx.Length));
    }

    [Fact]
    public void WanCutBlackHolesUntilRestored()
    {
        World w = Build(1);
        w.ApplianceA.PingTo = new UdpEndpoint(B, 4500);
        w.ApplianceA.PingEveryMs = 100;
        SimLink linkB = w.Wan.HostAt(B).Link;
        w.Sim.At(1050, linkB.Cut);
        w.Sim.At(2050, linkB.Restore);
        w.Sim.RunUntil(3000);
        // Ping 10 (t=1000) is echoed back by t=1024, before the cut. Pings 11..20 (t=1100..2000) are
        // lost on B's link: 20's echo would cross it at 2012, still cut. From 21 on all come back.
        var seqs = new HashSet<int>();
        foreach (var e in w.ApplianceA.Echoes)
        {
            seqs.Add(e.Seq);
        }

        for (int i = 0; i <= 29; i++) // 30 (t=3000) is still in flight
        {
            bool expected = i <= 10 || i > 20;
            Assert.True(expected == seqs.Contains(i), $"ping {i}: echo {(expected ? "missing" : "unexpected")}");
        }

        Assert.Equal(10, linkB.DroppedCut); // pings 11..20 at the entry of B's link
    }

    [Fact]
    public void UdpBindRulesOnTheNetwork()
    {
        var sim = new Simulation(1);
        UdpHost h = sim.AddUdpNetwork("wan").AddHost("a", A);
        MemoryUdpPort p1 = h.CreatePort(), p2 = h.CreatePort(), p3 = h.CreatePort();
        Assert.Equal(PortResult.Ok, p1.Bind(0, 500));
        Assert.Equal(PortResult.AddressInUse, p2.Bind(A, 500));
        Assert.Equal(PortResult.AddressInUse, p2.Bind(B, 501)); // not this host's address
        Assert.Equal(PortResult.Ok, p2.Bind(A, 0));
        Assert.Equal(MemoryUdpPort.FirstEphemeralPort, p2.LocalPort);
        p1.Close();
        Assert.Equal(PortResult.Ok, p3.Bind(0, 500));
        Assert.Throws<ArgumentException>(() => sim.AddUdpNetwork("x").AddHost("z", 0));
    }

    [Fact]
    public void DatagramToAnUnboundPortIsCounted()
    {
        World w = Build(1);
        w.ApplianceA.Wan.SendTo(new byte[8], 0, 8, new UdpEndpoint(B, 999));
        w.ApplianceA.Wan.SendTo(new byte[8], 0, 8, new UdpEndpoint(UdpNetwork.Address("198.18.9.9"), 999));
        w.Sim.RunFor(100);
        Assert.Equal(1, w.Wan.HostAt(B).DroppedNoListener);
        Assert.Equal(1, w.Wan.DroppedNoRoute);
    }

    private static List<string> FaultyRun(long seed)
    {
        World w = Build(seed);
        w.Sim.RecordDeliveries = true;
        FaultProfile f = w.Wan.HostAt(A).Link.Faults;
        f.Drop = 0.1;
        f.Duplicate = 0.1;
        f.Corrupt = 0.1;
        f.Reorder = 0.2;
        f.ReorderDelayMs = 15;
        w.Lan.LinkOf(w.Host).Faults.Drop = 0.3;
        w.ApplianceA.PingTo = new UdpEndpoint(B, 4500);
        w.ApplianceA.PingEveryMs = 10;
        byte[] frame = new byte[60];
        Fill(frame, dst: 0xFFFFFFFFFFFF, src: 0x020000000001);
        w.Sim.AddNode(now =>
        {
            w.ApplianceA.Lan.Send(frame, 0, 60);
            while (w.Host.Receive(frame, 0, 60) > 0)
            {
            }

            return now + 7;
        });
        w.Sim.RunUntil(2000);
        return w.Sim.DeliveryLog;
    }

    [Fact]
    public void SameSeedSameRunDifferentSeedDifferentRun()
    {
        List<string> a = FaultyRun(42), b = FaultyRun(42), c = FaultyRun(43);
        Assert.True(a.Count > 1000);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        foreach (string kind in new[] { "drop-fault", "duplicate", "corrupt", "reorder", " rx " })
        {
            Assert.Contains(a, line => line.Contains(kind));
        }
    }

    /// <summary>Sends 100 numbered datagrams A -> B, 1 ms apart, through the given fault profile on A's uplink.</summary>
    private static (List<byte[]> Received, SimLink Link) Through(Action<FaultProfile> faults)
    {
        var sim = new Simulation(7);
        UdpNetwork wan = sim.AddUdpNetwork("wan");
        UdpHost ha = wan.AddHost("a", A, 2);
        MemoryUdpPort a = ha.CreatePort(), b = wan.AddHost("b", B, 2).CreatePort(rxCapacity: 512);
        a.Bind(0, 0);
        b.Bind(0, 500);
        faults(ha.Link.Faults);
        for (int i = 0; i < 100; i++)
        {
            byte[] d = new byte[32];
            d[0] = (byte)i;
            a.SendTo(d, 0, d.Length, new UdpEndpoint(B, 500));
            sim.RunFor(1);
        }

        sim.RunFor(1000);
        var got = new List<byte[]>();
        byte[] rx = new byte[64];
        int n;
        while ((n = b.ReceiveFrom(rx, 0, rx.Length, new UdpEndpoint())) >= 0)
        {
            got.Add(rx.AsSpan(0, n).ToArray());
        }

        return (got, ha.Link);
    }

    [Fact]
    public void DropFault()
    {
        var (got, link) = Through(f => f.Drop = 0.5);
        Assert.InRange(got.Count, 25, 75);
        Assert.Equal(100 - got.Count, link.DroppedFault);
        var (none, _) = Through(f => f.Drop = 1);
        Assert.Empty(none);
    }

    [Fact]
    public void DuplicateFault()
    {
        var (got, link) = Through(f => f.Duplicate = 1);
        Assert.Equal(200, got.Count);
        Assert.Equal(100, link.Duplicated);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(got[2 * i], got[2 * i + 1]);
            Assert.Equal(i, got[2 * i][0]);
        }
    }

    [Fact]
    public void CorruptFaultFlipsExactlyOneByte()
    {
        var (got, link) = Through(f => f.Corrupt = 1);
        Assert.Equal(100, got.Count);
        Assert.Equal(100, link.Corrupted);
        foreach (byte[] d in got)
        {
            int differing = 0;
            for (int j = 1; j < d.Length; j++)
            {
                differing += d[j] != 0 ? 1 : 0;
            }

            // Either one zero byte became non-zero, or byte 0 (the sequence number) was hit.
            Assert.True(differing <= 1);
        }

        Assert.Contains(got, d => Array.Exists(d.AsSpan(1).ToArray(), x => x != 0));
    }

    [Fact]
    public void ReorderFault()
    {
        var (got, link) = Through(f =>
        {
            f.Reorder = 0.3;
            f.ReorderDelayMs = 5;
        });
        Assert.Equal(100, got.Count);
        Assert.True(link.Reordered > 10);
        int inversions = 0;
        for (int i = 1; i < got.Count; i++)
        {
            inversions += got[i][0] < got[i - 1][0] ? 1 : 0;
        }

        Assert.True(inversions > 0);
        var seen = new HashSet<int>();
        foreach (byte[] d in got)
        {
            seen.Add(d[0]);
        }

        Assert.Equal(100, seen.Count);
    }

    [Fact]
    public void PcapCaptureOfAWanLink()
    {
        World w = Build(1);
        var ms = new MemoryStream();
        using var pcap = new PcapWriter(ms, PcapWriter.LinkTypeRaw, ownsStream: false);
        w.Wan.HostAt(A).Link.Capture = pcap;
        w.ApplianceA.PingTo = new UdpEndpoint(B, 4500);
        w.ApplianceA.PingEveryMs = 1000;
        w.Sim.RunUntil(2500);
        pcap.Flush();
        byte[] file = ms.ToArray();
        Assert.Equal(0xA1B2C3D4u, BitConverter.ToUInt32(file, 0));
        Assert.Equal(101u, BitConverter.ToUInt32(file, 20));
        Assert.Equal(6, pcap.Packets); // 3 pings out, 3 echoes in
        // First record: t = 0, IPv4 198.18.0.1:4500 -> 198.18.0.2:4500, 64-byte payload.
        int r = 24;
        Assert.Equal(28u + 64, BitConverter.ToUInt32(file, r + 8));
        Assert.Equal(0x45, file[r + 16]);
        Assert.Equal(17, file[r + 16 + 9]);
        Assert.Equal(new byte[] { 198, 18, 0, 1, 198, 18, 0, 2 }, file.AsSpan(r + 16 + 12, 8).ToArray());
        Assert.Equal(4500, file[r + 16 + 20] << 8 | file[r + 16 + 21]);
        // IPv4 header checksum verifies (RFC 1071: the sum over the header is 0xFFFF).
        uint sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += (uint)(file[r + 16 + i] << 8 | file[r + 16 + i + 1]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        Assert.Equal(0xFFFFu, sum);
        // Second record (the echo) is stamped 24 ms later.
        int r2 = r + 16 + 92;
        Assert.Equal(24_000u, BitConverter.ToUInt32(file, r2 + 4));
    }

    [Fact]
    public void PcapCaptureOfAnEthernetLinkToAFile()
    {
        World w = Build(1);
        string path = Path.Combine(Path.GetTempPath(), "hal-sim-" + Guid.NewGuid().ToString("N") + ".pcap");
        try
        {
            using (PcapWriter pcap = PcapWriter.Create(path, PcapWriter.LinkTypeEthernet))
            {
                w.Lan.LinkOf(w.Host).Capture = pcap;
                byte[] frame = new byte[60];
                Fill(frame, dst: 0xFFFFFFFFFFFF, src: 0x020000000003);
                w.Host.Send(frame, 0, 60);              // captured leaving the host at t=0
                Fill(frame, dst: 0x020000000003, src: 0x020000000001);
                w.ApplianceA.Lan.Send(frame, 0, 60);    // captured arriving at the host at t=2
                w.Sim.RunFor(10);
                Assert.Equal(2, pcap.Packets);
            }

            byte[] file = File.ReadAllBytes(path);
            Assert.Equal(24 + 2 * (16 + 60), file.Length);
            Assert.Equal(1u, BitConverter.ToUInt32(file, 20));
            Assert.Equal(0u, BitConverter.ToUInt32(file, 24 + 4));
            Assert.Equal(2000u, BitConverter.ToUInt32(file, 24 + 76 + 4));
            Assert.Equal(0x03, file[24 + 76 + 16 + 5]); // destination MAC ends in 03
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SteadyStateSimulationDoesNotAllocate()
    {
        World w = Build(3, maxInFlight: 64);
        w.Sim.PreallocateBuffers();
        w.ApplianceA.PingTo = new UdpEndpoint(B, 4500);
        w.ApplianceA.PingEveryMs = 10;
        w.ApplianceA.Echoes.Capacity = 10_000;
        w.Wan.HostAt(A).Link.Faults.Drop = 0.1;
        w.Wan.HostAt(A).Link.Faults.Duplicate = 0.1;
        w.Sim.RunUntil(1000);
        long before = GC.GetAllocatedBytesForCurrentThread();
        w.Sim.RunUntil(20_000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(w.ApplianceA.Echoes.Count > 1000);
    }

    private static void Fill(byte[] frame, ulong dst, ulong src)
    {
        for (int i = 0; i < 6; i++)
        {
            frame[i] = (byte)(dst >> (40 - 8 * i));
            frame[6 + i] = (byte)(src >> (40 - 8 * i));
        }

        frame[12] = 0x08;
        frame[13] = 0x00;
    }
}
