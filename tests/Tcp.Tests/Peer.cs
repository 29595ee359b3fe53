using VpnAppliance.Wire;

namespace VpnAppliance.Tcp.Tests;

/// <summary>
/// A scripted peer in front of one stack: builds segments from the peer's address and port with the sequence
/// numbers the test chooses, hands them to the stack at the harness's virtual time, and reads back what the
/// stack sent.
/// </summary>
public sealed class Peer
{
    public const uint Local = 0xA9FE0001;   // 169.254.0.1, the appliance (inside-tunnel address)
    public const uint Remote = 0xA9FE0002;  // 169.254.0.2, the scripted peer
    public const int RemotePort = 179;
    public const uint PeerIss = 0x10000000;

    public readonly CaptureOutput Out = new();
    public readonly TcpStack Stack;
    public readonly TcpSettings Settings;
    public long Now = 1_000;
    public int LocalPort = 40000;

    public Peer(int connections = 4, int bufferSize = 4096, TcpSettings? settings = null)
    {
        Settings = settings ?? new TcpSettings { TimeWaitMs = 5_000, FinWait2TimeoutMs = 7_000 };
        Stack = new TcpStack(connections, bufferSize, Secret(1), Out, Settings);
    }

    public static byte[] Secret(int seed)
    {
        var s = new byte[16];
        for (int i = 0; i < s.Length; i++)
        {
            s[i] = (byte)(seed * 31 + i * 7);
        }

        return s;
    }

    /// <summary>Delivers a segment from the peer.</summary>
    public TcpInputResult Inject(uint seq, uint ack, byte flags, int window = 8192, byte[]? data = null, int mss = 0, int? fromPort = null, int? toPort = null)
    {
        byte[] seg = Seg.Build(Remote, Local, fromPort ?? RemotePort, toPort ?? LocalPort, seq, ack, flags, window, data, mss);
        return Stack.OnSegment(Remote, Local, seg, 0, seg.Length, Now);
    }

    public List<Seg> Take() => Out.Take();

    /// <summary>Exactly one segment was sent since the last Take; returns it.</summary>
    public Seg One()
    {
        var list = Take();
        Assert.True(list.Count == 1, $"expected one segment, got {list.Count}: {string.Join(" ", list)}");
        return list[0];
    }

    public void Poll() => Stack.Poll(Now);

    /// <summary>Advances virtual time to the stack's next deadline and polls (asserts there is one).</summary>
    public long RunToDeadline()
    {
        long d = Stack.NextDeadline;
        Assert.NotEqual(long.MaxValue, d);
        if (d > Now)
        {
            Now = d;
        }

        Stack.Poll(Now);
        return Now;
    }

    // ---- drive a connection to a given state ----

    /// <summary>Active open to ESTABLISHED: Connect, SYN,ACK from the peer. Returns the id; out the stack's ISS.</summary>
    public int Establish(out uint iss, int peerWindow = 8192, int mss = 1000)
    {
        Assert.Equal(TcpResult.Ok, Stack.Connect(Local, LocalPort, Remote, RemotePort, Now, out int id));
        Seg syn = One();
        Assert.True(syn.Syn && !syn.AckFlag);
        iss = syn.Seq;
        Inject(PeerIss, iss + 1, TcpFlags.Syn | TcpFlags.Ack, peerWindow, mss: mss);
        Seg ack = One();
        Assert.True(ack.AckFlag && !ack.Syn);
        Assert.Equal(TcpState.Established, Stack.State(id));
        return id;
    }

    /// <summary>Drives a connection into <paramref name="state"/>; out its ISS and the peer's next sequence number.</summary>
    public int DriveTo(TcpState state, out uint iss, out uint peerNxt)
    {
        peerNxt = PeerIss + 1;
        switch (state)
        {
            case TcpState.SynSent:
                Assert.Equal(TcpResult.Ok, Stack.Connect(Local, LocalPort, Remote, RemotePort, Now, out int s));
                iss = One().Seq;
                return s;
            case TcpState.SynReceived:
            {
                // Simultaneous open: our SYN crosses the peer's SYN.
                Assert.Equal(TcpResult.Ok, Stack.Connect(Local, LocalPort, Remote, RemotePort, Now, out int r));
                iss = One().Seq;
                Inject(PeerIss, 0, TcpFlags.Syn, mss: 1000);
                Seg synAck = One();
                Assert.True(synAck.Syn && synAck.AckFlag);
                Assert.Equal(TcpState.SynReceived, Stack.State(r));
                return r;
            }
        }

        int id = Establish(out iss);
        uint fin = iss + 1;
        switch (state)
        {
            case TcpState.Established:
                break;
            case TcpState.FinWait1:
                Assert.Equal(TcpResult.Ok, Stack.Close(id));
                Poll();
                Assert.True(One().Fin);
                break;
            case TcpState.FinWait2:
                Assert.Equal(TcpResult.Ok, Stack.Close(id));
                Poll();
                Assert.True(One().Fin);
                Inject(peerNxt, fin + 1, TcpFlags.Ack);
                Assert.Empty(Take());
                break;
            case TcpState.CloseWait:
                Inject(peerNxt, iss + 1, TcpFlags.Fin | TcpFlags.Ack);
                peerNxt++;
                Assert.Equal(peerNxt, One().Ack);
                break;
            case TcpState.Closing:
                Assert.Equal(TcpResult.Ok, Stack.Close(id));
                Poll();
                Assert.True(One().Fin);
                Inject(peerNxt, iss + 1, TcpFlags.Fin | TcpFlags.Ack); // FIN that does not ack ours
                peerNxt++;
                Assert.Equal(peerNxt, One().Ack);
                break;
            case TcpState.LastAck:
                Inject(peerNxt, iss + 1, TcpFlags.Fin | TcpFlags.Ack);
                peerNxt++;
                One();
                Assert.Equal(TcpResult.Ok, Stack.Close(id));
                Poll();
                Assert.True(One().Fin);
                break;
            case TcpState.TimeWait:
                Assert.Equal(TcpResult.Ok, Stack.Close(id));
                Poll();
                Assert.True(One().Fin);
                Inject(peerNxt, fin + 1, TcpFlags.Fin | TcpFlags.Ack);
                peerNxt++;
                Assert.Equal(peerNxt, One().Ack);
                break;
        }

        Assert.Equal(state, Stack.State(id));
        return id;
    }
}
