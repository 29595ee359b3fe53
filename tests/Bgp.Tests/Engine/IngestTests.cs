using System.Diagnostics;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Bgp.Wire;
using VpnAppliance.Core;
using Xunit.Abstractions;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>100,000 prefixes into the Adj-RIB-In / Loc-RIB: no allocation, measured memory per route and ingest rate.</summary>
public class IngestTests(ITestOutputHelper output)
{
    private sealed class CountingSink : IBgpRouteSink
    {
        public long Calls;
        public void OnBestPathChanged(uint prefix, int length, uint[] nextHops, uint[] peerAddresses, int count) => Calls++;
    }

    private sealed class NullLog : VpnAppliance.Bgp.Session.IBgpLog
    {
        public void Write(long nowMs, bool warning, string line) { }
    }

    [Fact]
    public void HundredThousandPrefixesWithoutAllocation()
    {
        const int Routes = 100_000;
        const int PerUpdate = 500;
        var caps = new Capacities { BgpPeers = 4, BgpPaths = Routes };
        var sink = new CountingSink();
        var net = new MemoryNet();

        long before = GC.GetAllocatedBytesForCurrentThread();
        var speaker = new BgpSpeaker(caps, new Endpoint(net, A), sink, new NullLog());
        long constructed = GC.GetAllocatedBytesForCurrentThread() - before;
        var budget = new MemoryBudget();
        BgpSpeaker.Account(budget, caps);

        speaker.Configure(Settings(65010, 1, Peer(B, 65515, 65010)), 1000);
        var session = speaker.FindPeer(B)!;
        session.Params.FourOctetAs = true;
        session.Params.PeerAs = 65515;
        session.Params.LocalAs = 65010;

        // 200 UPDATEs of 500 /24s; 50 different AS paths (attribute sets shared by 2,000 routes each).
        var messages = new List<byte[]>();
        var withdrawals = new List<byte[]>();
        var s4 = Updates.Session4(65515, 65010);
        for (int m = 0; m < Routes / PerUpdate; m++)
        {
            var u = Updates.Attrs(B, 65515, (uint)(64600 + m % 50));
            var w = new ParsedUpdate(null);
            for (int i = 0; i < PerUpdate; i++)
            {
                uint prefix = (uint)(0x0A000000 + ((m * PerUpdate + i) << 8));
                u.AddPrefix(PrefixSection.Nlri, prefix, 24);
                w.AddPrefix(PrefixSection.Withdrawn, prefix, 24);
            }

            messages.AddRange(Updates.Encode(u, s4));
            withdrawals.AddRange(Updates.Encode(w, s4));
        }

        void Feed(List<byte[]> list)
        {
            foreach (var msg in list) speaker.UpdateReceived(session, msg, 0, msg.Length, 2000);
            speaker.Poll(2000);
        }

        speaker.Poll(1000); // the session's first connect attempt (the test transport allocates) happens before measuring
        var sw = new Stopwatch();
        var sw2 = new Stopwatch();
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        sw.Start();
        Feed(messages);
        sw.Stop();
        long firstIngest = GC.GetAllocatedBytesForCurrentThread() - a0;
        Assert.Equal(Routes, speaker.Rib.PathCount);
        Assert.Equal(Routes, speaker.Rib.PrefixCount);
        Assert.Equal(50, speaker.Rib.Attributes.Count);
        Assert.Equal(Routes, sink.Calls);

        long a1 = GC.GetAllocatedBytesForCurrentThread();
        Feed(messages);                 // the same routes again: implicit replacement, unchanged
        Feed(withdrawals);              // all gone
        sw2.Start();
        Feed(messages);                 // all back
        sw2.Stop();
        long steady = GC.GetAllocatedBytesForCurrentThread() - a1;
        Assert.Equal(Routes, speaker.Rib.PathCount);

        output.WriteLine($"speaker for {Routes} paths: {constructed} bytes allocated on the host ({constructed / (double)Routes:F1} B/route); "
            + $"MemoryBudget: host {budget.HostBytes} B ({budget.HostBytes / (double)Routes:F1} B/route), nanoFramework {budget.NanoBytes} B ({budget.NanoBytes / (double)Routes:F1} B/route)");
        output.WriteLine($"ingest: {Routes} prefixes in {sw.Elapsed.TotalMilliseconds:F0} ms first time ({Routes / sw.Elapsed.TotalSeconds:F0} prefixes/s), "
            + $"{sw2.Elapsed.TotalMilliseconds:F0} ms after a full withdrawal; allocated: first ingest {firstIngest} B, steady {steady} B");
        Assert.Equal(0, firstIngest);
        Assert.Equal(0, steady);
        // The budget describes what the constructor allocates (within 10 %).
        Assert.InRange(budget.HostBytes, constructed * 0.9, constructed * 1.1);
    }

    [Fact]
    public void KeepalivesAndKnownUpdatesAllocateNothingOnEstablishedSessions()
    {
        var p = Pair.Default();
        var sb = p.SB.Settings;
        p.SB.Configure(Settings(sb.LocalAs, sb.RouterId, sb.Peers).WithNetworks("10.1.0.0/16"), p.Net.Now);
        Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
        p.Net.Advance(1000);
        var u = Updates.Encode(Updates.Attrs(B, 65515).Announce("10.7.0.0/16"), Updates.Session4(65515, 65010))[0];
        var keepalive = new byte[19];
        KeepaliveMessage.Encode(keepalive, 0);
        int handle = p.AtoB.EstablishedHandle;
        p.SA.OnBytes(handle, u, 0, u.Length, p.Net.Now);
        p.SA.Poll(p.Net.Now);
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            p.SA.OnBytes(handle, keepalive, 0, keepalive.Length, p.Net.Now);
            p.SA.OnBytes(handle, u, 0, u.Length, p.Net.Now);
            p.SA.Poll(p.Net.Now);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - a0);
    }
}

/// <summary>Route flaps from one peer exported to another: receive, decide, export allocate nothing.</summary>
public class ExportAllocationTests
{
    private sealed class DiscardTransport : VpnAppliance.Bgp.Session.IBgpTransport
    {
        public long Bytes;
        public int Connect(uint localAddress, uint remoteAddress, int ttl, long nowMs) => -1;
        public int SendSpace(int handle) => 1 << 20;
        public bool Send(int handle, byte[] buffer, int offset, int length) { Bytes += length; return true; }
        public void Close(int handle) { }
        public bool IsConnected(int handle) => false;
        public uint LocalAddress(int handle) => A;
    }

    private sealed class NullSink : IBgpRouteSink, VpnAppliance.Bgp.Session.IBgpLog
    {
        public void OnBestPathChanged(uint prefix, int length, uint[] nextHops, uint[] peerAddresses, int count) { }
        public void Write(long nowMs, bool warning, string line) { }
    }

    private static byte[] Open(uint asn, uint id)
    {
        var o = new OpenMessage { Version = 4, HoldTime = 90, BgpIdentifier = id, HasFourOctetAs = true, FourOctetAs = asn };
        o.AddMultiprotocol(1, 1);
        var b = new byte[256];
        return b[..o.Encode(b, 0)];
    }

    [Fact]
    public void FlappingRoutesExportedToAnotherPeerAllocateNothing()
    {
        var t = new DiscardTransport();
        var sink = new NullSink();
        var speaker = new BgpSpeaker(Caps(), t, sink, sink);
        speaker.Configure(Settings(65010, 1, Peer(B, 65515, 65010, mode: VpnAppliance.Bgp.Session.ConnectMode.Passive),
            Peer(C, 65020, 65010, mode: VpnAppliance.Bgp.Session.ConnectMode.Passive)), 1000);
        speaker.Poll(1000);
        var keepalive = new byte[19];
        KeepaliveMessage.Encode(keepalive, 0);
        Assert.True(speaker.OnAccepted(1, B, 1000));
        Assert.True(speaker.OnAccepted(2, C, 1000));
        foreach (var (h, asn, id) in new[] { (1, 65515u, 2u), (2, 65020u, 3u) })
        {
            var open = Open(asn, id);
            speaker.OnBytes(h, open, 0, open.Length, 1000);
            speaker.OnBytes(h, keepalive, 0, keepalive.Length, 1000);
        }

        Assert.True(speaker.FindPeer(B)!.IsEstablished && speaker.FindPeer(C)!.IsEstablished);
        var announce = Updates.Encode(Updates.Attrs(B, 65515).Announce("10.1.0.0/16", "10.2.0.0/16"), Updates.Session4(65515, 65010))[0];
        var withdraw = Updates.Encode(new ParsedUpdate(null).Withdraw("10.1.0.0/16", "10.2.0.0/16"), Updates.Session4(65515, 65010))[0];
        void Flap(long now)
        {
            speaker.OnBytes(1, announce, 0, announce.Length, now);
            speaker.Poll(now);
            speaker.OnBytes(1, withdraw, 0, withdraw.Length, now);
            speaker.Poll(now);
        }

        Flap(1000);
        long sentBefore = speaker.FindPeer(C)!.Counters.UpdatesSent;
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) Flap(1000 + i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - a0);
        Assert.Equal(2000, speaker.FindPeer(C)!.Counters.UpdatesSent - sentBefore);
    }
}

/// <summary>Static memory of the speaker for board-sized capacities (printed for the board budget table).</summary>
public class BudgetTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(4, 500)]
    [InlineData(4, 2000)]
    [InlineData(8, 10000)]
    [InlineData(16, 100000)]
    public void BudgetGrowsLinearlyWithPaths(int peers, int paths)
    {
        var b = new MemoryBudget();
        BgpSpeaker.Account(b, new Capacities { BgpPeers = peers, BgpPaths = paths });
        var b2 = new MemoryBudget();
        BgpSpeaker.Account(b2, new Capacities { BgpPeers = peers, BgpPaths = paths * 2 });
        double perPath = (b2.NanoBytes - b.NanoBytes) / (double)paths;
        output.WriteLine($"bgpPeers {peers}, bgpPaths {paths}: nanoFramework {b.NanoBytes} B, host {b.HostBytes} B; marginal {perPath:F1} B per path");
        Assert.InRange(perPath, 40, 120);
    }
}
