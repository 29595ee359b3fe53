using VpnAppliance.Core;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Ipsec.Tests;

/// <summary>
/// One end of a tunnel: a SAD with its receive path and an in-memory WAN port. <see cref="Connect"/> installs a
/// CHILD SA pair between two ends from one KEYMAT (initiator and responder take opposite halves).
/// </summary>
public sealed class End
{
    public const int BufferSize = 1600;

    public readonly SecurityAssociationDatabase Sad;
    public readonly EspReceiver Receiver;
    public readonly MemoryUdpPort Wan;
    public readonly IRandom Random;
    public readonly EspReceiveResult Result = new();

    public End(ICryptoProvider provider, long seed, int childSas = 8, int tunnels = 2, int replayWindow = ReplayWindow.DefaultSize)
    {
        var caps = new Capacities { ChildSas = childSas, Tunnels = tunnels, PacketBufferSize = BufferSize };
        Random = new ManagedCryptoProvider().CreateRandom(new SeededEntropy(seed));
        Wan = new MemoryUdpPort(64, 64, 2048, null);
        Assert.Equal(PortResult.Ok, Wan.Bind(0, EspPacket.NatTraversalPort));
        Sad = new SecurityAssociationDatabase(caps, provider, Random, replayWindow, Wan);
        Receiver = new EspReceiver(Sad);
    }

    /// <summary>Installs a pair on tunnel <paramref name="tunnel"/> of both ends; returns (initiator handle, responder handle).</summary>
    public static (int I, int R) Connect(End initiator, End responder, Suite suite, byte[] keymat, int tunnel = 0,
        EspLifetime? lifetime = null, long nowMs = 0)
    {
        Assert.Equal(SadResult.Ok, initiator.Sad.Reserve(tunnel, 0, out int hi, out uint spiI));
        Assert.Equal(SadResult.Ok, responder.Sad.Reserve(tunnel, 0, out int hr, out uint spiR));
        var p = Parameters(suite, keymat, lifetime);
        p.Initiator = true;
        p.OutboundSpi = spiR;
        p.PeerAddress = 0xC6120002;
        Assert.Equal(SadResult.Ok, initiator.Sad.Install(hi, p, nowMs));
        p.Initiator = false;
        p.OutboundSpi = spiI;
        p.PeerAddress = 0xC6120001;
        Assert.Equal(SadResult.Ok, responder.Sad.Install(hr, p, nowMs));
        return (hi, hr);
    }

    public static ChildSaParameters Parameters(Suite suite, byte[] keymat, EspLifetime? lifetime) => new()
    {
        Encryption = suite.Encryption,
        KeyBits = suite.KeyBits,
        Integrity = suite.Integrity,
        ExtendedSequenceNumbers = suite.Esn,
        KeyMaterial = keymat,
        KeyMaterialOffset = 0,
        KeyMaterialLength = keymat.Length,
        Lifetime = lifetime,
        PeerPort = EspPacket.NatTraversalPort,
    };

    public static byte[] Keymat(Suite suite, int seed)
    {
        var k = new byte[EspTransform.KeyMaterialLength(suite.Encryption, suite.KeyBits, suite.Integrity)];
        new System.Random(seed).NextBytes(k);
        return k;
    }

    /// <summary>A minimal IPv4/UDP inner packet of <paramref name="length"/> bytes (>= 28) with a valid header checksum.</summary>
    public static byte[] Inner(int length, int seed)
    {
        var b = new byte[length];
        new System.Random(seed).NextBytes(b);
        b[0] = 0x45;
        b[1] = 0;
        b[2] = (byte)(length >> 8);
        b[3] = (byte)length;
        b[6] = 0;
        b[7] = 0;
        b[8] = 64;
        b[9] = 17;
        b[10] = 0;
        b[11] = 0;
        uint sum = 0;
        for (int i = 0; i < 20; i += 2)
        {
            sum += (uint)((b[i] << 8) | b[i + 1]);
        }

        while ((sum >> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        ushort c = (ushort)~sum;
        b[10] = (byte)(c >> 8);
        b[11] = (byte)c;
        return b;
    }

    /// <summary>Takes the next datagram sent on the WAN port, or null.</summary>
    public byte[]? TakeSent(UdpEndpoint? destination = null)
    {
        var buf = new byte[4096];
        int n = Wan.TakeSent(buf, 0, buf.Length, destination ?? new UdpEndpoint());
        return n < 0 ? null : buf.AsSpan(0, n).ToArray();
    }

    /// <summary>Sends the inner packet through tunnel 0 and returns the ESP datagram sent.</summary>
    public byte[] Send(byte[] inner, long nowMs = 0, int tunnel = 0)
    {
        Assert.Equal(PortResult.Ok, Sad.Tunnel(tunnel)!.Transmit(inner, 0, inner.Length, nowMs));
        return TakeSent()!;
    }

    /// <summary>Receives a copy of <paramref name="datagram"/>; returns the kind and leaves details in <see cref="Result"/>.</summary>
    public EspReceiveKind Receive(byte[] datagram, long nowMs = 0)
    {
        var copy = (byte[])datagram.Clone();
        LastBuffer = copy;
        return Receiver.Receive(copy, 0, copy.Length, nowMs, Result);
    }

    public byte[] LastBuffer = Array.Empty<byte>();

    public byte[] LastInner => LastBuffer.AsSpan(Result.Offset, Result.Length).ToArray();
}
