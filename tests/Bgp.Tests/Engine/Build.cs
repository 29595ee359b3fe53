using VpnAppliance.Bgp.Policy;
using VpnAppliance.Bgp.Session;
using VpnAppliance.Bgp.Speaker;
using VpnAppliance.Core;

namespace VpnAppliance.Bgp.Tests.Engine;

/// <summary>Helpers that build speakers and peer configurations for the engine tests.</summary>
public static class Build
{
    public const uint A = 0xA9FE1502; // 169.254.21.2
    public const uint B = 0xA9FE1501; // 169.254.21.1
    public const uint C = 0xA9FE1505; // 169.254.21.5

    public static uint Ip(string s) => VpnAppliance.Config.Ipv4.TryParse(s, out uint a) ? a : throw new ArgumentException(s);

    public static Capacities Caps(int peers = 4, int paths = 2000) => new() { BgpPeers = peers, BgpPaths = paths };

    public static BgpPeerConfig Peer(uint address, uint remoteAs, uint localAs, int hold = 180, int keepalive = -1,
        ConnectMode mode = ConnectMode.Both, bool permitAll = true)
        => new()
        {
            Address = address, RemoteAs = remoteAs, LocalAs = localAs, HoldTime = hold, Keepalive = keepalive, Mode = mode,
            Import = permitAll ? PrefixFilter.PermitAll() : null, Export = permitAll ? PrefixFilter.PermitAll() : null,
        };

    public static BgpSpeakerSettings Settings(uint asn, uint routerId, params BgpPeerConfig[] peers)
        => new() { LocalAs = asn, RouterId = routerId, Peers = peers };

    public static BgpSpeakerSettings WithNetworks(this BgpSpeakerSettings s, params string[] prefixes)
    {
        s.NetworkAddress = prefixes.Select(p => Ip(p.Split('/')[0])).ToArray();
        s.NetworkLength = prefixes.Select(p => int.Parse(p.Split('/')[1])).ToArray();
        return s;
    }

    /// <summary>Two speakers A (AS 65010) and B (AS 65515) peering with each other.</summary>
    public sealed class Pair
    {
        public readonly MemoryNet Net = new();
        public readonly Recorder LogA = new(), LogB = new();
        public readonly Endpoint EA, EB;

        public Pair(BgpSpeakerSettings a, BgpSpeakerSettings b, Capacities? caps = null)
        {
            EA = Net.Add(A, t => new BgpSpeaker(caps ?? Caps(), t, LogA, LogA));
            EB = Net.Add(B, t => new BgpSpeaker(caps ?? Caps(), t, LogB, LogB));
            EA.Speaker.Configure(a, Net.Now);
            EB.Speaker.Configure(b, Net.Now);
        }

        public BgpSpeaker SA => EA.Speaker;
        public BgpSpeaker SB => EB.Speaker;
        public BgpSession AtoB => SA.FindPeer(B)!;
        public BgpSession BtoA => SB.FindPeer(A)!;
        public bool BothEstablished => AtoB.IsEstablished && BtoA.IsEstablished;

        public static Pair Default(Action<BgpPeerConfig>? tuneA = null, Action<BgpPeerConfig>? tuneB = null, uint idA = 0x0A000001, uint idB = 0x0A000002)
        {
            var pa = Peer(B, 65515, 65010);
            var pb = Peer(A, 65010, 65515);
            tuneA?.Invoke(pa);
            tuneB?.Invoke(pb);
            return new Pair(Settings(65010, idA, pa), Settings(65515, idB, pb));
        }
    }
}
