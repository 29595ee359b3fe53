using System.Text;
using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Ipsec.Ike;

namespace VpnAppliance.Ipsec.Tests.Ike.Engine;

/// <summary>One IKE speaker: engine, SAD, ESP receive path, two in-memory WAN sockets (500, 4500), a log.</summary>
public sealed class IkeSide : IIkeEvents
{
    public readonly string Name;
    public readonly uint Address;
    public readonly MemoryUdpPort Ike = new(64, 64, 2048, null);
    public readonly MemoryUdpPort NatT = new(256, 256, 2048, null);
    public readonly SecurityAssociationDatabase Sad;
    public readonly EspReceiver Receiver;
    public readonly IkeEngine Engine;
    public readonly List<string> Log = new();
    public readonly List<byte[]> Delivered = new();
    public readonly EspReceiveResult Result = new();
    public int Received;

    public IkeSide(string name, uint address, ICryptoProvider provider, long seed, IkeSettings? settings = null, int ikeSas = 8)
    {
        Name = name;
        Address = address;
        var caps = new Capacities { IkeSas = ikeSas, ChildSas = 16, Tunnels = 4, PacketBufferSize = 1600 };
        IRandom random = new ManagedCryptoProvider().CreateRandom(new SeededEntropy(seed));
        Assert.Equal(PortResult.Ok, Ike.Bind(address, 500));
        Assert.Equal(PortResult.Ok, NatT.Bind(address, 4500));
        Sad = new SecurityAssociationDatabase(caps, provider, random, ReplayWindow.DefaultSize, NatT);
        Receiver = new EspReceiver(Sad);
        Engine = new IkeEngine(caps, provider, random, Sad, Ike, NatT, settings ?? new IkeSettings(), this);
    }

    void IIkeEvents.Log(LogLevel level, string message) => Log.Add(level + " " + message);

    public bool Logged(string text) => Log.Any(l => l.Contains(text));

    public void Configure(string configText, long nowMs)
    {
        ParseResult r = ConfigText.Parse(configText);
        Assert.True(r.Ok, string.Join("\n", r.Errors.Select(e => e.ToString())));
        var conns = new IkeConnection[IkeEngine.MaxConnections];
        int n = IkeConnectionBuilder.Build(r.Model, 4, conns);
        Assert.True(n > 0);
        Engine.SetConnections(conns, n, nowMs);
    }

    public TunnelInterface Tunnel(int i = 0) => Sad.Tunnel(i);

    public string Show(long nowMs)
    {
        var sb = new StringBuilder();
        Engine.WriteIkeSas(sb, nowMs);
        Engine.WriteIpsecSas(sb, nowMs);
        return sb.ToString();
    }
}

/// <summary>
/// Two IKE speakers on a lossless (or filtered) in-memory wire with a virtual clock. <see cref="Run"/> moves
/// datagrams between them and polls both until quiet or the time limit.
/// </summary>
public sealed class IkePair
{
    public const uint BranchAddress = 0xC6120002;   // 198.18.0.2
    public const uint GatewayAddress = 0xC612010A;  // 198.18.1.10
    public readonly IkeSide A;
    public readonly IkeSide B;
    public long Now;
    /// <summary>Return false to drop a datagram (from, port, bytes).</summary>
    public Func<IkeSide, int, byte[], bool>? Filter;
    public int Dropped;
    private readonly byte[] _buf = new byte[4096];
    private readonly UdpEndpoint _to = new();

    public IkePair(ICryptoProvider? provider = null, long seed = 1, IkeSettings? settings = null)
    {
        provider ??= new ManagedCryptoProvider();
        A = new IkeSide("branch", BranchAddress, provider, seed, settings);
        B = new IkeSide("gateway", GatewayAddress, provider, seed + 1000, settings);
    }

    public static string Config(string role, uint peer, uint self, string ike = "aes256gcm16-prfsha256-ecp256", string esp = "aes256gcm16",
        string psk = "interop-test-key-0123456789", string extra = "", int lifetime = 28800, int childLifetime = 3600, int dpd = 30)
    {
        string p = IkeEngine_Ipv4(peer);
        string s = IkeEngine_Ipv4(self);
        return $@"
set interfaces lan address 192.168.{(role == "initiate" ? 10 : 20)}.1/24
set interfaces wan address {s}/24
set vpn ike-group G proposal {ike}
set vpn ike-group G lifetime {lifetime}
set vpn ike-group G dpd interval {dpd}
set vpn esp-group E proposal {esp}
set vpn esp-group E lifetime {childLifetime}
set vpn peer gw address {p}
set vpn peer gw psk ""{psk}""
set vpn peer gw ike-group G
set vpn peer gw esp-group E
set vpn peer gw connection-type {role}
set vpn tunnel vti0 peer gw
set vpn tunnel vti0 address 169.254.21.{(role == "initiate" ? 2 : 1)}/30
{extra}";
    }

    public static string IkeEngine_Ipv4(uint a) => $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}";

    public void ConfigureDefault(string ike = "aes256gcm16-prfsha256-ecp256", string esp = "aes256gcm16", string? pskB = null,
        int lifetime = 28800, int childLifetime = 3600)
    {
        A.Configure(Config("initiate", GatewayAddress, BranchAddress, ike, esp, lifetime: lifetime, childLifetime: childLifetime), Now);
        B.Configure(Config("respond", BranchAddress, GatewayAddress, ike, esp, psk: pskB ?? "interop-test-key-0123456789",
            lifetime: lifetime, childLifetime: childLifetime), Now);
    }

    /// <summary>Moves every queued datagram once; returns how many moved.</summary>
    public int Exchange()
    {
        int moved = 0;
        moved += Move(A, A.Ike, B, 500);
        moved += Move(A, A.NatT, B, 4500);
        moved += Move(B, B.Ike, A, 500);
        moved += Move(B, B.NatT, A, 4500);
        return moved;
    }

    private int Move(IkeSide from, MemoryUdpPort port, IkeSide to, int fromPort)
    {
        int moved = 0;
        for (int guard = 0; guard < 512; guard++)
        {
            int n = port.TakeSent(_buf, 0, _buf.Length, _to);
            if (n < 0) break;
            moved++;
            if (_to.Address != to.Address) continue;
            byte[] copy = _buf.AsSpan(0, n).ToArray();
            if (Filter != null && !Filter(from, fromPort, copy))
            {
                Dropped++;
                continue;
            }

            Deliver(to, _to.Port, from.Address, fromPort, copy);
        }

        return moved;
    }

    private void Deliver(IkeSide to, int localPort, uint source, int sourcePort, byte[] data)
    {
        to.Received++;
        if (localPort == 500)
        {
            to.Engine.OnMessage(500, source, sourcePort, data, 0, data.Length, Now);
            return;
        }

        EspReceiveKind kind = to.Receiver.Receive(data, 0, data.Length, Now, to.Result);
        if (kind == EspReceiveKind.Ike) to.Engine.OnMessage(4500, source, sourcePort, data, to.Result.Offset, to.Result.Length, Now);
        else if (kind == EspReceiveKind.Inner) to.Delivered.Add(data.AsSpan(to.Result.Offset, to.Result.Length).ToArray());
    }

    /// <summary>Polls and exchanges until nothing moves and no deadline is due within <paramref name="ms"/>; advances the clock.</summary>
    public void Run(long ms, long stepMs = 10)
    {
        long end = Now + ms;
        for (int guard = 0; guard < 1_000_000 && Now <= end; guard++)
        {
            A.Engine.Poll(Now);
            B.Engine.Poll(Now);
            int moved = 0;
            for (int k = 0; k < 16; k++)
            {
                int m = Exchange();
                moved += m;
                if (m == 0) break;
                A.Engine.Poll(Now);
                B.Engine.Poll(Now);
            }

            Now += stepMs;
        }
    }

    /// <summary>Sends one inner packet from A's tunnel; returns true when B received it.</summary>
    public bool PingAtoB(int size = 100)
    {
        byte[] p = InnerPacket(size, A.Delivered.Count + B.Delivered.Count);
        int before = B.Delivered.Count;
        if (A.Tunnel().Transmit(p, 0, p.Length, Now) != PortResult.Ok) return false;
        Exchange();
        return B.Delivered.Count == before + 1 && B.Delivered[^1].AsSpan().SequenceEqual(p);
    }

    public bool PingBtoA(int size = 100)
    {
        byte[] p = InnerPacket(size, 7);
        int before = A.Delivered.Count;
        if (B.Tunnel().Transmit(p, 0, p.Length, Now) != PortResult.Ok) return false;
        Exchange();
        return A.Delivered.Count == before + 1 && A.Delivered[^1].AsSpan().SequenceEqual(p);
    }

    /// <summary>A minimal IPv4 header + payload the ESP path accepts (next header 4).</summary>
    public static byte[] InnerPacket(int size, int seed)
    {
        var p = new byte[size];
        p[0] = 0x45;
        p[2] = (byte)(size >> 8);
        p[3] = (byte)size;
        p[8] = 64;
        p[9] = 1;
        for (int i = 20; i < size; i++) p[i] = (byte)(seed + i);
        return p;
    }
}
