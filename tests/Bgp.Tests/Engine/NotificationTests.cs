using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Bgp.Wire;
using static VpnAppliance.Bgp.Tests.Engine.Build;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>A scripted peer in front of one speaker: which NOTIFICATION each protocol error gets (RFC 4271 §6, RFC 6608, RFC 7606).</summary>
public class NotificationTests
{
    /// <summary>Captures what the speaker sends per handle; never connects by itself.</summary>
    private sealed class Capture : IBgpTransport
    {
        public readonly Dictionary<int, List<byte[]>> Sent = new();
        public readonly HashSet<int> Closed = new();
        public int Connect(uint localAddress, uint remoteAddress, int ttl, long nowMs) => -1;
        public int SendSpace(int handle) => Closed.Contains(handle) ? 0 : 65536;
        public bool Send(int handle, byte[] buffer, int offset, int length)
        {
            if (Closed.Contains(handle)) return false;
            if (!Sent.TryGetValue(handle, out var l)) Sent[handle] = l = new();
            l.Add(buffer[offset..(offset + length)]);
            return true;
        }

        public void Close(int handle) => Closed.Add(handle);
        public bool IsConnected(int handle) => false;
        public uint LocalAddress(int handle) => A;
        public byte[] Last(int handle) => Sent[handle][^1];
    }

    private sealed class Script
    {
        public readonly Capture Transport = new();
        public readonly Recorder Log = new();
        public readonly BgpSpeaker Speaker;
        public long Now = 1_000;
        public const int Handle = 7;

        public Script(Action<BgpPeerConfig>? tune = null)
        {
            var peer = Peer(B, 65515, 65010, mode: ConnectMode.Passive);
            tune?.Invoke(peer);
            Speaker = new BgpSpeaker(Caps(), Transport, Log, Log);
            Speaker.Configure(Settings(65010, 0x0A000001, peer), Now);
            Speaker.Poll(Now);
            Assert.True(Speaker.OnAccepted(Handle, B, Now));
            Assert.Equal(BgpMessageType.Open, Transport.Last(Handle)[18]);
        }

        public void Send(byte[] m) => Speaker.OnBytes(Handle, m, 0, m.Length, Now);

        public byte[] Open(uint asn = 65515, int hold = 90, uint id = 0x0A000002, bool fourOctet = true)
        {
            var o = new OpenMessage { Version = 4, HoldTime = hold, BgpIdentifier = id };
            if (fourOctet) { o.HasFourOctetAs = true; o.FourOctetAs = asn; }
            else o.MyAs = (int)asn;
            o.AddMultiprotocol(CapabilityCode.AfiIpv4, CapabilityCode.SafiUnicast);
            o.RouteRefresh = true;
            var b = new byte[512];
            int n = o.Encode(b, 0);
            return b[..n];
        }

        public static byte[] Keepalive()
        {
            var b = new byte[19];
            KeepaliveMessage.Encode(b, 0);
            return b;
        }

        public (int Code, int Subcode) LastNotification()
        {
            var m = Transport.Last(Handle);
            Assert.Equal(BgpMessageType.Notification, m[18]);
            Assert.Contains(Handle, Transport.Closed);
            return (m[19], m[20]);
        }

        public void Establish()
        {
            Send(Open());
            Send(Keepalive());
            Assert.True(Speaker.FindPeer(B)!.IsEstablished);
        }
    }

    [Fact]
    public void UnacceptableHoldTime()
    {
        var s = new Script();
        s.Send(s.Open(hold: 2));
        Assert.Equal((NotificationCode.OpenMessageError, NotificationCode.OpenUnacceptableHoldTime), s.LastNotification());
        Assert.Contains(s.Log.Lines, l => l.Contains("OPEN rejected: unacceptable hold time 2 s: set protocols bgp neighbor 169.254.21.1 timers hold"));
    }

    [Fact]
    public void BadBgpIdentifier()
    {
        var s = new Script();
        s.Send(s.Open(id: 0));
        Assert.Equal((NotificationCode.OpenMessageError, NotificationCode.OpenBadBgpIdentifier), s.LastNotification());
    }

    [Fact]
    public void BadMarkerIsAHeaderError()
    {
        var s = new Script();
        var m = Script.Keepalive();
        m[3] = 0;
        s.Send(m);
        Assert.Equal((NotificationCode.MessageHeaderError, NotificationCode.HeaderConnectionNotSynchronized), s.LastNotification());
    }

    [Fact]
    public void KeepaliveInOpenSentIsAnFsmError()
    {
        var s = new Script();
        s.Send(Script.Keepalive());
        Assert.Equal((NotificationCode.FiniteStateMachineError, NotificationCode.FsmUnexpectedMessageInOpenSent), s.LastNotification());
    }

    [Fact]
    public void OpenInEstablishedIsAnFsmError()
    {
        var s = new Script();
        s.Establish();
        s.Send(s.Open());
        Assert.Equal((NotificationCode.FiniteStateMachineError, NotificationCode.FsmUnexpectedMessageInEstablished), s.LastNotification());
    }

    [Fact]
    public void WrongFirstAsIsTreatAsWithdrawAndBadNlriResetsTheSession()
    {
        var s = new Script();
        s.Establish();
        var m = Updates.Encode(Updates.Attrs(B, 65515).Announce("10.1.0.0/16"), Updates.Session4(65515, 65010))[0];
        s.Send(m);
        Assert.Equal(1, s.Speaker.Rib.PathCount);
        // An eBGP path not starting with the peer's AS (RFC 4271 §6.3): treat-as-withdraw (RFC 7606 §7.2).
        s.Send(Updates.Encode(Updates.Attrs(B, 65000).Announce("10.1.0.0/16"), Updates.Session4(65515, 65010))[0]);
        Assert.Equal(0, s.Speaker.Rib.PathCount);
        Assert.True(s.Speaker.FindPeer(B)!.IsEstablished);
        // A prefix length of 33 in the NLRI: the UPDATE cannot be parsed, session reset (RFC 7606 §5.3).
        var bad = (byte[])m.Clone();
        bad[^3] = 33;
        s.Send(bad);
        var (code, _) = s.LastNotification();
        Assert.Equal(NotificationCode.UpdateMessageError, code);
        Assert.False(s.Speaker.FindPeer(B)!.IsEstablished);
        Assert.Contains(s.Log.Lines, l => l.Contains("UPDATE error"));
    }

    [Fact]
    public void TwoOctetPeerGetsAsTransAndAs4Path()
    {
        // A 2-octet-only peer (no capability 65) behind which a 4-octet AS originates: AS4_PATH restores it (RFC 6793 §4.2.3).
        var s = new Script();
        s.Send(s.Open(fourOctet: false));
        s.Send(Script.Keepalive());
        var session = s.Speaker.FindPeer(B)!;
        Assert.True(session.IsEstablished);
        Assert.False(session.Params.FourOctetAs);
        var twoOctet = new SessionParameters { FourOctetAs = false, LocalAs = 65515, PeerAs = 65010 };
        foreach (var m in Updates.Encode(Updates.Attrs(B, 65515, 4_200_000_001).Announce("10.8.0.0/16"), twoOctet))
            s.Send(m);
        var rib = s.Speaker.Rib;
        var back = new ParsedUpdate(null);
        rib.Attributes.Load(rib.PathAttr[rib.Best[rib.FindPrefix(Ip("10.8.0.0"), 16)]], back);
        Assert.Equal("65515 4200000001", BgpSpeaker.AsPathText(back.AsPath));
    }

    [Fact]
    public void FourOctetLocalAsIsSentAsTransInMyAs()
    {
        var net = new MemoryNet();
        var la = new Recorder();
        var lb = new Recorder();
        var ea = net.Add(A, t => new BgpSpeaker(Caps(), t, la, la));
        var eb = net.Add(B, t => new BgpSpeaker(Caps(), t, lb, lb));
        ea.Speaker.Configure(Settings(4_200_000_010, 1, Peer(B, 65515, 4_200_000_010)).WithNetworks("10.1.0.0/16"), net.Now);
        eb.Speaker.Configure(Settings(65515, 2, Peer(A, 4_200_000_010, 65515)), net.Now);
        Assert.True(net.Run(() => ea.Speaker.FindPeer(B)!.IsEstablished && eb.Speaker.FindPeer(A)!.IsEstablished, 60_000));
        Assert.Equal((int)CapabilityCode.AsTrans, ea.Speaker.FindPeer(B)!.LocalOpen.MyAs);
        net.Advance(100);
        var rib = eb.Speaker.Rib;
        Assert.Equal(4_200_000_010u, rib.Attributes.FirstAs[rib.PathAttr[rib.Best[rib.FindPrefix(Ip("10.1.0.0"), 16)]]]);
    }
}

/// <summary>Seeded garbage and mutated messages into an Established session: never an exception, always a typed outcome.</summary>
public class SessionFuzzTests
{
    [Fact]
    public void MutatedMessagesNeverThrow()
    {
        var rng = new Random(7);
        var valid = Updates.Encode(Updates.Attrs(Build.B, 65515).Announce("10.1.0.0/16", "10.2.3.0/24"), Updates.Session4(65515, 65010))[0];
        for (int round = 0; round < 300; round++)
        {
            var p = Build.Pair.Default();
            Assert.True(p.Net.Run(() => p.BothEstablished, 60_000));
            int handle = p.AtoB.EstablishedHandle;
            for (int k = 0; k < 20 && p.AtoB.IsEstablished; k++)
            {
                var m = (byte[])valid.Clone();
                int flips = 1 + rng.Next(4);
                for (int f = 0; f < flips; f++) m[16 + rng.Next(m.Length - 16)] = (byte)rng.Next(256);
                int cut = rng.Next(4) == 0 ? rng.Next(m.Length) : m.Length;
                p.SA.OnBytes(handle, m, 0, cut, p.Net.Now);
                p.SA.Poll(p.Net.Now);
            }
        }
    }
}
