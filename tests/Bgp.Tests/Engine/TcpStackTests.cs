using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Bgp.Transport;
using VpnAppliance.Core;
using VpnAppliance.Tcp;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>Two speakers, each on its own compact TcpStack (firmware/Tcp), joined by an in-memory link: the real transport path.</summary>
public class TcpStackTests
{
    /// <summary>Carries segments between two stacks with a fixed delay; can drop everything (a dead tunnel).</summary>
    private sealed class Link : ITcpOutput
    {
        public readonly List<(long At, uint Src, uint Dst, byte[] Data)> InFlight = new();
        public TcpStack? StackA, StackB;
        public long Now = 1_000;
        public bool Down;

        public void SendSegment(uint source, uint destination, byte[] buffer, int offset, int length, int ttl, long nowMs)
        {
            if (!Down) InFlight.Add((nowMs + 2, source, destination, buffer[offset..(offset + length)]));
        }

        public long NextDelivery => InFlight.Count == 0 ? long.MaxValue : InFlight.Min(s => s.At);

        public void DeliverDue()
        {
            var due = InFlight.Where(s => s.At <= Now).ToList();
            foreach (var s in due)
            {
                InFlight.Remove(s);
                var to = s.Dst == A ? StackA : StackB;
                to!.OnSegment(s.Src, s.Dst, s.Data, 0, s.Data.Length, Now);
            }
        }
    }

    private sealed class Side
    {
        public TcpStack Tcp = null!;
        public BgpTcpTransport Transport = null!;
        public BgpSpeaker Speaker = null!;
        public readonly Recorder Log = new();
        public long Deadline;
    }

    private static Side Make(Link link, uint address, BgpSpeakerSettings settings)
    {
        var side = new Side();
        var secret = new byte[16];
        secret[0] = (byte)address;
        side.Tcp = new TcpStack(4, 8192, secret, link, new TcpSettings { VerifyChecksum = false, InitialRtoMs = 200, MinimumRtoMs = 100 });
        side.Transport = new BgpTcpTransport(side.Tcp, 2048) { DefaultLocalAddress = address };
        Assert.Equal(TcpResult.Ok, side.Transport.Listen(address));
        side.Speaker = new BgpSpeaker(new Capacities { BgpPeers = 2, BgpPaths = 1000 }, side.Transport, side.Log, side.Log);
        side.Speaker.Configure(settings, link.Now);
        return side;
    }

    private static bool Run(Link link, Side a, Side b, Func<bool> until, long maxMs)
    {
        long end = link.Now + maxMs;
        for (int i = 0; i < 200_000; i++)
        {
            foreach (var s in new[] { a, b })
            {
                s.Tcp.Poll(link.Now);
                s.Transport.Pump(s.Speaker, link.Now);
                s.Deadline = s.Speaker.Poll(link.Now);
                s.Transport.Pump(s.Speaker, link.Now);
            }

            if (until()) return true;
            long next = new[] { link.NextDelivery, a.Tcp.NextDeadline, b.Tcp.NextDeadline, a.Deadline, b.Deadline }.Min();
            if (next > end) return until();
            link.Now = Math.Max(link.Now, next);
            link.DeliverDue();
        }

        return false;
    }

    [Fact]
    public void TwoSpeakersOverTheCompactTcpExchangeRoutes()
    {
        var link = new Link();
        var a = Make(link, A, Settings(65010, 1, Peer(B, 65515, 65010)).WithNetworks("10.1.0.0/16", "10.2.0.0/16"));
        var b = Make(link, B, Settings(65515, 2, Peer(A, 65010, 65515)).WithNetworks("172.16.0.0/12"));
        link.StackA = a.Tcp;
        link.StackB = b.Tcp;
        bool up = Run(link, a, b, () => a.Speaker.FindPeer(B)!.IsEstablished && b.Speaker.FindPeer(A)!.IsEstablished, 60_000);
        if (!up)
        {
            var sa = a.Speaker.FindPeer(B)!;
            var sb = b.Speaker.FindPeer(A)!;
            throw new Xunit.Sdk.XunitException($"A {sa.State} opens {sa.Counters.OpensSent}/{sa.Counters.OpensReceived} ka {sa.Counters.KeepalivesSent}/{sa.Counters.KeepalivesReceived} blocked {sa.Counters.SendBlocked}; "
                + $"B {sb.State} opens {sb.Counters.OpensSent}/{sb.Counters.OpensReceived}; tcp A {a.Tcp.InUse} B {b.Tcp.InUse}; logA: {string.Join(" | ", a.Log.Lines)} logB: {string.Join(" | ", b.Log.Lines)}");
        }

        bool routes = Run(link, a, b, () => b.Log.Routes.Count == 3 && a.Log.Routes.Count == 3, 10_000); // each side's own networks are in its sink too (next hop 0)
        Assert.True(routes, $"routes A {a.Log.Routes.Count} B {b.Log.Routes.Count}; rib B {b.Speaker.Rib.PathCount} A {a.Speaker.Rib.PathCount}; upd A {a.Speaker.FindPeer(B)!.Counters.UpdatesSent}/{a.Speaker.FindPeer(B)!.Counters.UpdatesReceived} space {a.Speaker.FindPeer(B)!.SendSpace()} pend {a.Speaker.Rib.PeerPendingCount[0]}");
        Assert.Equal(new[] { A }, b.Log.Routes[(Ip("10.2.0.0"), 16)]);
        Assert.Equal(new[] { B }, a.Log.Routes[(Ip("172.16.0.0"), 12)]);

        // Keepalives keep it up over ten minutes of virtual time.
        Run(link, a, b, () => false, 600_000);
        Assert.True(a.Speaker.FindPeer(B)!.IsEstablished);
        Assert.Equal(1, a.Speaker.FindPeer(B)!.Counters.EstablishedTransitions);

        // The link dies: the TCP retransmission limit or the hold timer (180 s) ends the session; graceful
        // restart keeps B's routes as stale at A.
        link.Down = true;
        link.InFlight.Clear();
        Assert.True(Run(link, a, b, () => !a.Speaker.FindPeer(B)!.IsEstablished, 200_000));
        Assert.Contains(a.Log.Lines, l => l.Contains("bgp 169.254.21.1: down: connection lost") || l.Contains("hold timer expired"));
        Assert.Equal(1, a.Speaker.Rib.StaleCount(a.Speaker.FindPeer(B)!.Index));

        // The link returns: the sessions come back and the routes are fresh again.
        link.Down = false;
        Assert.True(Run(link, a, b, () => a.Speaker.FindPeer(B)!.IsEstablished && b.Speaker.FindPeer(A)!.IsEstablished, 400_000));
        Assert.True(Run(link, a, b, () => a.Speaker.Rib.StaleCount(a.Speaker.FindPeer(B)!.Index) == 0 && a.Log.Routes.Count == 3, 20_000));
    }
}
