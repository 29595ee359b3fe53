using System.Collections.Generic;
using System.Text;

namespace VpnAppliance.Config.Tests;

/// <summary>
/// Builds random configuration texts that must be valid (no errors) under every rule, for the round-trip
/// property test. Values are chosen inside the ranges every cloud profile accepts.
/// </summary>
internal sealed class RandomConfigGenerator
{
    private static readonly string[] CloudSafeIke = { "aes256-sha256-modp2048", "aes128-sha1-modp2048", "aes256-sha1-modp2048", "aes128-sha256-modp2048", "aes192-sha384-modp2048" };
    private static readonly string[] AnyIke = { "aes256gcm16-prfsha256-ecp256", "aes128gcm16-prfsha256-x25519", "aes256-sha256-ecp384", "aes256-sha512-modp2048s256", "aes128-sha1-modp1536", "aes256gcm16-prfsha384-ecp384-modp2048" };
    private static readonly string[] CloudSafeEsp = { "aes256-sha256-modp2048", "aes128-sha1", "aes256-sha256", "aes256-sha1-modp2048" };
    private static readonly string[] AnyEsp = { "aes256gcm16", "aes128gcm16-x25519", "aes192gcm16-ecp256", "aes256-sha512" };
    private static readonly string[] Profiles = { "generic", "azure", "alibaba", "aws", "gcp" };

    private readonly System.Random _rng;
    public RandomConfigGenerator(int seed) { _rng = new System.Random(seed); }

    private int R(int n) => _rng.Next(n);
    private bool Coin() => _rng.Next(2) == 0;
    private T Pick<T>(T[] a) => a[_rng.Next(a.Length)];

    private string Proposals(string[] pool)
    {
        var chosen = new List<string>();
        int n = 1 + R(3);
        for (int i = 0; i < n; i++) { string p = Pick(pool); if (!chosen.Contains(p)) chosen.Add(p); }
        string sep = Coin() ? "," : " ";
        return string.Join(sep, chosen);
    }

    public List<string> Lines()
    {
        var l = new List<string>();
        int lan = 1 + R(200), wan = R(200);
        if (Coin()) l.Add("set system host-name br" + R(1000));
        if (Coin()) l.Add("set system domain-name site" + R(100) + ".example.net");
        l.Add($"set interfaces lan address 192.168.{lan}.1/24");
        l.Add($"set interfaces wan address 198.18.{wan}.2/24");
        l.Add($"set interfaces wan gateway 198.18.{wan}.1");
        if (Coin()) l.Add("set interfaces lan mtu " + (1280 + R(220)));
        if (Coin()) l.Add("set interfaces wan mtu " + (1500 + R(1000)));
        int loops = R(3);
        for (int i = 0; i < loops; i++) l.Add($"set interfaces loopback address 10.255.{i}.{1 + R(250)}/32");

        // policy
        int lists = 1 + R(3);
        for (int i = 0; i < lists; i++)
        {
            int rules = 1 + R(4);
            for (int k = 0; k < rules; k++)
            {
                string path = $"set policy prefix-list PL{i} rule {(k + 1) * 10}";
                int len = 8 + R(17);
                uint net = (uint)(10 << 24 | R(1 << 16) << 8) & Mask(len);
                l.Add(path + " action " + (Coin() ? "permit" : "deny"));
                l.Add(path + " prefix " + Ipv4.Format(net) + "/" + len);
                int ge = -1;
                if (Coin()) { ge = len + R(33 - len); l.Add(path + " ge " + ge); }
                if (Coin()) { int lo = ge >= 0 ? ge : len; l.Add(path + " le " + (lo + R(33 - lo))); }
            }
        }

        // IKE/ESP groups: C = cloud-safe, A = any (generic peers only)
        foreach (string kind in new[] { "C", "A" })
        {
            string ike = "IKE-" + kind, esp = "ESP-" + kind;
            l.Add($"set vpn ike-group {ike} proposal " + Proposals(kind == "C" ? CloudSafeIke : AnyIke));
            if (Coin()) l.Add($"set vpn ike-group {ike} lifetime " + (3600 + R(25200)));
            if (Coin()) l.Add($"set vpn ike-group {ike} rekey-margin " + (60 + R(480)));
            if (Coin()) l.Add($"set vpn ike-group {ike} rekey-fuzz " + R(101));
            if (Coin()) l.Add($"set vpn ike-group {ike} dpd interval " + (1 + R(29)));
            if (Coin()) l.Add($"set vpn ike-group {ike} dpd timeout " + (31 + R(300)));
            if (Coin()) l.Add($"set vpn ike-group {ike} dpd action " + Pick(new[] { "restart", "clear", "hold", "none" }));
            l.Add($"set vpn esp-group {esp} proposal " + Proposals(kind == "C" ? CloudSafeEsp : AnyEsp));
            if (Coin()) l.Add($"set vpn esp-group {esp} lifetime " + (1200 + R(2400)));
            if (Coin()) l.Add($"set vpn esp-group {esp} replay-window " + (1024 + R(3072)));
            if (Coin()) l.Add($"set vpn esp-group {esp} rekey-margin " + (60 + R(200)));
        }

        // peers, tunnels, neighbours
        uint localAs = (uint)(65001 + R(100));
        l.Add("set protocols bgp local-as " + localAs);
        if (Coin()) l.Add($"set protocols bgp router-id 10.255.255.{1 + R(250)}");
        if (Coin()) l.Add("set protocols bgp maximum-paths " + (1 + R(16)));
        l.Add($"set protocols bgp network 192.168.{lan}.0/24");
        if (Coin()) l.Add($"set protocols bgp network 10.{100 + R(100)}.0.0/16");
        int peers = R(5);
        for (int i = 0; i < peers; i++)
        {
            string profile = Pick(Profiles);
            string kind = profile == "generic" ? Pick(new[] { "A", "C" }) : "C";
            string p = "peer" + i, path = "set vpn peer " + p;
            l.Add($"{path} address 198.19.{i}.{1 + R(250)}");
            if (profile != "generic" || Coin()) l.Add($"{path} profile {profile}");
            l.Add($"{path} psk \"secret {i} {R(1 << 30)} with spaces\"");
            l.Add($"{path} ike-group IKE-{kind}");
            l.Add($"{path} esp-group ESP-{kind}");
            if (Coin()) l.Add($"{path} local-id " + Pick(new[] { $"198.18.{wan}.2", "@branch.example.net", "@#0a0b0c0d" }));
            if (Coin()) l.Add($"{path} remote-id " + Pick(new[] { "@gw" + i + ".example.com", "198.19." + i + ".77" }));
            if (Coin() && profile != "azure") l.Add($"{path} connection-type respond");
            string t = "vti" + i, tpath = "set vpn tunnel " + t;
            l.Add($"{tpath} peer {p}");
            l.Add($"{tpath} address 169.254.21.{4 * i + 2}/30");
            if (Coin()) l.Add($"{tpath} mtu " + (1280 + R(120)));
            if (Coin()) l.Add($"{tpath} mss " + (1100 + R(140)));
            if (profile == "generic" && Coin()) { l.Add($"{tpath} local-ts 192.168.{lan}.0/24"); l.Add($"{tpath} remote-ts 10.{i}.0.0/16"); }
            string n = $"169.254.21.{4 * i + 1}", npath = "set protocols bgp neighbor " + n;
            uint remote = profile == "azure" ? 65515u : (uint)(64512 + R(400));
            l.Add($"{npath} remote-as {remote}");
            if (Coin()) l.Add($"{npath} tunnel {t}");
            if (profile != "alibaba" && Coin()) l.Add($"{npath} local-as {65200 + R(100)}");
            l.Add($"{npath} prefix-list import PL{R(lists)}");
            l.Add($"{npath} prefix-list export PL{R(lists)}");
            if (Coin()) { int hold = 3 + R(300); l.Add($"{npath} timers hold {hold}"); if (Coin()) l.Add($"{npath} timers keepalive {hold / 3}"); }
            if (Coin()) l.Add($"{npath} ebgp-multihop {1 + R(254)}");
            if (Coin()) l.Add($"{npath} as-path-prepend {1 + R(10)}");
            if (Coin()) l.Add($"{npath} med {(uint)_rng.Next() * 2u}");
            if (Coin()) l.Add($"{npath} maximum-prefix {1 + R(4000)}");
            if (Coin()) l.Add($"{npath} update-source 169.254.21.{4 * i + 2}");
        }

        int routes = R(4);
        for (int i = 0; i < routes; i++)
        {
            string path = $"set protocols static route 172.{16 + i}.{R(256)}.0/24";
            if (peers > 0 && Coin()) l.Add($"{path} next-hop tunnel vti{R(peers)}");
            else if (Coin()) l.Add($"{path} next-hop address 192.168.{lan}.{2 + R(250)}");
            else l.Add($"{path} blackhole");
            if (Coin()) l.Add($"{path} distance {1 + R(255)}");
        }
        return l;
    }

    public void Shuffle(List<string> lines)
    {
        for (int i = lines.Count - 1; i > 0; i--)
        {
            int j = R(i + 1);
            (lines[i], lines[j]) = (lines[j], lines[i]);
        }
    }

    private static uint Mask(int len) => len == 0 ? 0 : 0xFFFFFFFFu << (32 - len);

    public static string Join(List<string> lines)
    {
        var sb = new StringBuilder();
        foreach (string s in lines) sb.Append(s).Append('\n');
        return sb.ToString();
    }
}
