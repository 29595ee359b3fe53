using System.Diagnostics;
using System.Security.Cryptography;
using VpnAppliance.Tcp;
using Xunit.Abstractions;

namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// The appliance's packet plane against the real Linux stack (DESIGN.md §7 interop, §8 network safety): the
/// appliance runs in this process on a TAP device inside a namespace created by the test, Linux hosts are that
/// namespace's kernel (or veth hosts in namespaces of their own), and every address is 198.18.0.0/15 or
/// 10.99.0.0/24 inside those namespaces only. Every process is stopped by pid; every loop is bounded.
/// </summary>
public sealed class PacketPlaneTests
{
    private const string LanConfig = "set interfaces lan address 198.18.1.2/24\n";
    private const int TransferBytes = 1 << 20;
    private const int TransferTimeoutMs = 60_000;

    // Sends TransferBytes of random data while reading TransferBytes, then half-closes and waits for the peer's
    // FIN; prints the SHA-256 of what it sent and of what it received.
    private const string PeerScript = """
import hashlib, os, socket, sys, threading
mode, addr, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
N = 1 << 20
if mode == 'listen':
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((addr, port)); s.listen(1)
    print('ready', flush=True)
    s.settimeout(30); c, _ = s.accept()
else:
    c = socket.create_connection((addr, port), timeout=30)
c.settimeout(30)
out = os.urandom(N)
t = threading.Thread(target=c.sendall, args=(out,)); t.start()
h = hashlib.sha256(); got = 0
while got < N:
    d = c.recv(65536)
    if not d: break
    h.update(d); got += len(d)
t.join()
c.shutdown(socket.SHUT_WR)
while c.recv(65536): pass
print('sent', hashlib.sha256(out).hexdigest(), flush=True)
print('received', got, h.hexdigest(), flush=True)
""";

    // Prints (hex) the IPv4 frames to 10.99.0.5 seen on an interface, after 'ready'; exits after two or 20 s.
    private const string CaptureScript = """
import socket, sys, time
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0800)); s.bind((sys.argv[1], 0)); s.settimeout(1)
print('ready', flush=True)
n = 0; end = time.time() + 20
while n < 2 and time.time() < end:
    try: f = s.recv(65536)
    except socket.timeout: continue
    if len(f) >= 34 and f[30:34] == bytes([10, 99, 0, 5]):
        print('frame', f.hex(), flush=True); n += 1
""";

    private readonly ITestOutputHelper _output;

    public PacketPlaneTests(ITestOutputHelper output) => _output = output;

    [RootFact]
    public void ALinuxHostPingsTheApplianceLanAddressThroughTheTap()
    {
        using var lab = new NetnsLab();
        string ns = lab.CreateNamespace();
        string dev = lab.NewDeviceName();
        using var appliance = new ApplianceOnTap(dev, ns, LanConfig);
        TapTestKit.BringUp(lab, ns, dev);

        using var ping = new ChildProcess("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.1.2");
        Assert.True(appliance.RunUntil(() => ping.HasExited, 15_000), "ping did not finish: " + ping.Describe());
        ping.WaitExit(5000);
        Assert.True(ping.ExitCode == 0, "ping -c 3 failed: " + ping.Describe());
        Assert.True(ping.HasLine("rtt ", out string rtt) || ping.Lines.Any(l => l.Contains("min/avg/max")), ping.Describe());
        _output.WriteLine(string.Join("\n", ping.Lines));
        Assert.Contains(ping.Lines, l => l.Contains("3 packets transmitted, 3 received"));
        Assert.True(appliance.Appliance.Router.LocalDelivered >= 3);
        Assert.Equal(0, appliance.Appliance.Packets.InUse);
    }

    [RootFact]
    public void VpnSimAnswersArpAndPingOnItsConfiguredLanAddress()
    {
        string vpnSim = Path.Combine(AppContext.BaseDirectory, "VpnSim.dll");
        Assert.True(File.Exists(vpnSim), vpnSim + " missing");
        using var lab = new NetnsLab();
        string ns = lab.CreateNamespace();
        string dev = lab.NewDeviceName();
        string config = Path.Combine(Path.GetTempPath(), $"vpnsim-{Environment.ProcessId}-{dev}.conf");
        File.WriteAllText(config, LanConfig);
        try
        {
            using var sim = ChildProcess.InDirectory(ApplianceOnTap.RepoRoot, "dotnet", vpnSim, "run", "--config", config, "--lan", $"tap:{dev}@{ns}", "--wan", "udp:127.0.0.1:0");
            var watch = Stopwatch.StartNew();
            while (!sim.HasLine("lan tap", out _) && !sim.HasExited && watch.ElapsedMilliseconds < 20_000)
            {
                Thread.Sleep(50);
            }

            Assert.True(sim.HasLine("lan tap", out string lanLine), "VpnSim did not start: " + sim.Describe());
            Assert.EndsWith("address 198.18.1.2/24", lanLine);
            TapTestKit.BringUp(lab, ns, dev);
            string result = NetnsLab.Run("ip", "netns", "exec", ns, "ping", "-c", "3", "-i", "0.2", "-W", "2", "198.18.1.2");
            _output.WriteLine(result);
            Assert.Contains("3 packets transmitted, 3 received", result);
            string neighbours = NetnsLab.Run("ip", "-n", ns, "neigh", "show", "198.18.1.2");
            Assert.Contains("lladdr", neighbours); // the kernel learned the appliance's MAC by ARP

            // The console's ping towards the Linux side of the TAP.
            sim.Input.Write("ping 198.18.1.1 count 2\n");
            sim.Input.Flush();
            watch.Restart();
            while (!sim.HasLine("2 packets transmitted", out _) && !sim.HasExited && watch.ElapsedMilliseconds < 10_000)
            {
                Thread.Sleep(50);
            }

            Assert.True(sim.HasLine("2 packets transmitted, 2 received, 0% packet loss", out _), "console ping: " + sim.Describe());
            sim.Input.Write("show interfaces\n");
            sim.Input.Close(); // end of the console stream: VpnSim stops
            Assert.True(sim.WaitExit(10_000), "VpnSim did not stop: " + sim.Describe());
            Assert.Equal(0, sim.ExitCode);
            _output.WriteLine(string.Join("\n", sim.Lines));
            Assert.Contains(sim.Lines, l => l.StartsWith("lan        up     198.18.1.2/24", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [RootTheory]
    [InlineData("native-sim")]   // 64 KiB TCP buffers
    [InlineData("wt32-eth01")]   // the smallest board: 4 KiB TCP buffers, 16 packet buffers
    public void ApplianceTcpConnectsToALinuxListenerAndExchangesOneMegabyteEachWay(string board)
    {
        using var lab = new NetnsLab();
        string ns = lab.CreateNamespace();
        string dev = lab.NewDeviceName();
        using var appliance = new ApplianceOnTap(dev, ns, LanConfig, board);
        TapTestKit.BringUp(lab, ns, dev);
        using var peer = new ChildProcess("ip", "netns", "exec", ns, "python3", "-c", PeerScript, "listen", "198.18.1.1", "5001");
        Assert.True(appliance.RunUntil(() => peer.HasLine("ready", out _) || peer.HasExited, 10_000), "listener not ready: " + peer.Describe());

        TcpStack tcp = appliance.Appliance.Tcp;
        Assert.Equal(TcpResult.Ok, tcp.Connect(TapTestKit.OurIp, 0, TapTestKit.KernelIp, 5001, appliance.NowMs, out int id));
        Exchange(appliance, peer, id, "active open (" + board + ")");
    }

    [RootFact]
    public void ALinuxClientConnectsToTheApplianceListenerAndExchangesOneMegabyteEachWay()
    {
        using var lab = new NetnsLab();
        string ns = lab.CreateNamespace();
        string dev = lab.NewDeviceName();
        using var appliance = new ApplianceOnTap(dev, ns, LanConfig);
        TapTestKit.BringUp(lab, ns, dev);
        TcpStack tcp = appliance.Appliance.Tcp;
        Assert.Equal(TcpResult.Ok, tcp.Listen(0, 5002, out int listener));

        using var peer = new ChildProcess("ip", "netns", "exec", ns, "python3", "-c", PeerScript, "connect", "198.18.1.2", "5002");
        int id = -1;
        Assert.True(appliance.RunUntil(() => id >= 0 || peer.HasExited, 15_000, () =>
        {
            if (tcp.Accept(listener, out int accepted) == TcpResult.Ok)
            {
                id = accepted;
            }
        }), "no connection accepted: " + peer.Describe());
        Assert.Equal(TapTestKit.KernelIp, tcp.RemoteAddress(id));
        Exchange(appliance, peer, id, "passive open");
        tcp.Close(listener);
    }

    [RootFact]
    public void AForwardedPacketArrivesWithTtlMinusOneAndValidChecksums()
    {
        // lan namespace: bridge joining the TAP and two veth hosts A (198.18.1.10) and B (198.18.1.20);
        // the appliance (198.18.1.2) routes 10.99.0.0/24 to B, which holds 10.99.0.5 on its loopback.
        using var lab = new NetnsLab();
        string lanNs = lab.CreateNamespace();
        string aNs = lab.CreateNamespace();
        string bNs = lab.CreateNamespace();
        string tap = lab.NewDeviceName();
        string br = lab.NewDeviceName();
        string a0 = lab.NewDeviceName(), a1 = lab.NewDeviceName(), b0 = lab.NewDeviceName(), b1 = lab.NewDeviceName();
        using var appliance = new ApplianceOnTap(tap, lanNs,
            LanConfig + "set protocols static route 10.99.0.0/24 next-hop address 198.18.1.20\n");
        lab.Ip("-n", lanNs, "link", "add", br, "type", "bridge");
        lab.Ip("-n", lanNs, "link", "set", "dev", br, "up");
        lab.Ip("-n", lanNs, "link", "set", "dev", tap, "master", br, "up");
        lab.Ip("-n", lanNs, "link", "add", a1, "type", "veth", "peer", "name", a0, "netns", aNs);
        lab.Ip("-n", lanNs, "link", "add", b1, "type", "veth", "peer", "name", b0, "netns", bNs);
        lab.Ip("-n", lanNs, "link", "set", "dev", a1, "master", br, "up");
        lab.Ip("-n", lanNs, "link", "set", "dev", b1, "master", br, "up");
        lab.Ip("-n", aNs, "addr", "add", "198.18.1.10/24", "dev", a0);
        lab.Ip("-n", aNs, "link", "set", "dev", a0, "up");
        lab.Ip("-n", aNs, "route", "add", "10.99.0.0/24", "via", "198.18.1.2");
        lab.Ip("-n", bNs, "addr", "add", "198.18.1.20/24", "dev", b0);
        lab.Ip("-n", bNs, "addr", "add", "10.99.0.5/32", "dev", "lo");
        lab.Ip("-n", bNs, "link", "set", "dev", b0, "up");

        using var capture = new ChildProcess("ip", "netns", "exec", bNs, "python3", "-c", CaptureScript, b0);
        Assert.True(appliance.RunUntil(() => capture.HasLine("ready", out _) || capture.HasExited, 10_000), "capture not ready: " + capture.Describe());

        // ICMP echo with TTL 50 (answered by B straight back to A), then UDP with TTL 30.
        using var ping = new ChildProcess("ip", "netns", "exec", aNs, "ping", "-c", "1", "-t", "50", "-W", "5", "10.99.0.5");
        Assert.True(appliance.RunUntil(() => ping.HasExited, 15_000), "ping did not finish: " + ping.Describe());
        ping.WaitExit(5000);
        Assert.True(ping.ExitCode == 0, "ping through the appliance failed: " + ping.Describe());
        using var udp = new ChildProcess("ip", "netns", "exec", aNs, "python3", "-c",
            "import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, 30); " +
            "s.sendto(b'forwarded by the appliance', ('10.99.0.5', 9999))");
        Assert.True(appliance.RunUntil(() => capture.HasExited, 15_000), "capture did not see two frames: " + capture.Describe());
        capture.WaitExit(5000);

        byte[][] frames = capture.Lines.Where(l => l.StartsWith("frame ", StringComparison.Ordinal))
            .Select(l => Convert.FromHexString(l[6..])).ToArray();
        Assert.Equal(2, frames.Length);
        byte[] mac = appliance.Mac;
        foreach (byte[] f in frames)
        {
            Assert.True(LanFrames.MacEquals(f, 6, mac), "forwarded by the appliance (its MAC is the source)");
            Assert.Equal(0x45, f[14]);
            int totalLength = LanFrames.Get16(f, 16);
            Assert.Equal(0, LanFrames.InternetChecksum(f, 14, 20)); // header checksum verifies (RFC 1071)
            Assert.Equal(LanFrames.Ip(198, 18, 1, 10), LanFrames.IpSource(f));
            int protocol = f[23];
            if (protocol == 1)
            {
                Assert.Equal(49, f[22]); // 50 - 1
                Assert.Equal(8, f[34]);
                Assert.Equal(0, LanFrames.InternetChecksum(f, 34, totalLength - 20));
            }
            else
            {
                Assert.Equal(17, protocol);
                Assert.Equal(29, f[22]); // 30 - 1
                Assert.Equal(0, UdpChecksum(f, totalLength - 20));
            }
        }

        Assert.Contains(frames, f => f[23] == 1);
        Assert.Contains(frames, f => f[23] == 17);
        var lan = appliance.Appliance.Router.Counters(Net.Router.LanInterface);
        var router = appliance.Appliance.Router;
        string drops = string.Join(", ", Enumerable.Range(0, Net.DropReasons.Count).Select(i => (Net.DropReason)i)
            .Where(r => router.Drops(r) != 0).Select(r => $"{Net.DropReasons.Name(r)} {router.Drops(r)}"));
        _output.WriteLine($"lan rx {lan.RxPackets} tx {lan.TxPackets}, rx drops {lan.RxDrops}, tx drops {lan.TxDrops} ({drops})");
    }

    // Drives the appliance side of PeerScript: sends 1 MB of random bytes, reads 1 MB, closes, checks both hashes.
    private void Exchange(ApplianceOnTap appliance, ChildProcess peer, int id, string what)
    {
        var watch = Stopwatch.StartNew(); // from an open connection (active: SYN sent; passive: accepted)
        TcpStack tcp = appliance.Appliance.Tcp;
        byte[] data = RandomNumberGenerator.GetBytes(TransferBytes);
        using var received = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buf = new byte[16384];
        int sent = 0, got = 0;
        bool closed = false;
        long sentAtMs = 0, gotAtMs = 0, peerLineMs = -1;
        var timeline = new List<string>();
        TcpState last = TcpState.Closed;
        bool ok = appliance.RunUntil(() => peer.HasExited, TransferTimeoutMs, () =>
        {
            TcpState state = tcp.State(id);
            if (state != last)
            {
                timeline.Add($"{state}@{watch.ElapsedMilliseconds}");
                last = state;
            }

            if (state == TcpState.Established || state == TcpState.CloseWait)
            {
                while (sent < data.Length)
                {
                    int n = tcp.Send(id, data, sent, data.Length - sent);
                    if (n <= 0)
                    {
                        break;
                    }

                    sent += n;
                }

                if (sent == data.Length && sentAtMs == 0)
                {
                    sentAtMs = watch.ElapsedMilliseconds;
                }
            }

            for (int n; got < TransferBytes && (n = tcp.Receive(id, buf, 0, buf.Length)) > 0;)
            {
                received.AppendData(buf, 0, n);
                got += n;
                if (got == TransferBytes)
                {
                    gotAtMs = watch.ElapsedMilliseconds;
                }
            }

            if (peerLineMs < 0 && peer.HasLine("sent ", out _))
            {
                peerLineMs = watch.ElapsedMilliseconds;
            }

            if (!closed && sent == data.Length && got == TransferBytes)
            {
                tcp.Close(id);
                closed = true;
                timeline.Add($"close@{watch.ElapsedMilliseconds}");
            }
        });
        long exitMs = watch.ElapsedMilliseconds;
        Assert.True(ok, $"{what}: sent {sent}, received {got}, state {tcp.State(id)}; peer {peer.Describe()}");
        peer.WaitExit(5000);
        Assert.True(peer.ExitCode == 0, peer.Describe());
        Assert.Equal(TransferBytes, got);
        Assert.True(peer.HasLine("sent ", out string peerSent), peer.Describe());
        Assert.True(peer.HasLine("received ", out string peerReceived), peer.Describe());
        Assert.Equal("sent " + Convert.ToHexStringLower(received.GetHashAndReset()), peerSent);
        Assert.Equal($"received {TransferBytes} " + Convert.ToHexStringLower(SHA256.HashData(data)), peerReceived);
        var counters = tcp.Counters;
        _output.WriteLine($"{what}: 1 MiB appliance->linux handed to TCP by {sentAtMs} ms, 1 MiB linux->appliance read by {gotAtMs} ms, " +
            $"both hashes printed by the peer at {watch.ElapsedMilliseconds} ms; segments rx {counters.SegmentsReceived} tx {counters.SegmentsSent}, " +
            $"retransmissions {counters.Retransmissions}, fast {counters.FastRetransmits}; {string.Join(" ", timeline)}, peer line at " +
            $"{peerLineMs} ms, exit at {exitMs} ms");
    }

    // UDP checksum over the pseudo-header (RFC 768); 0 when it verifies.
    private static int UdpChecksum(byte[] f, int udpLength)
    {
        var pseudo = new byte[12 + udpLength];
        Array.Copy(f, 26, pseudo, 0, 8);
        pseudo[9] = 17;
        pseudo[10] = (byte)(udpLength >> 8);
        pseudo[11] = (byte)udpLength;
        Array.Copy(f, 34, pseudo, 12, udpLength);
        return LanFrames.Get16(f, 40) == 0 ? -1 : LanFrames.InternetChecksum(pseudo, 0, pseudo.Length);
    }
}
