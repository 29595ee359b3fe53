using System.Diagnostics;
using System.Runtime.InteropServices;
using VpnAppliance.Core;
using VpnAppliance.Fib;
using VpnAppliance.Hal.Host;
using VpnAppliance.Net;
using VpnAppliance.Wire;
using Xunit.Abstractions;

namespace VpnAppliance.Bfd.Tests;

/// <summary>Runs only as root on Linux with BIRD 2 installed (network namespace + TAP); skipped otherwise.</summary>
public sealed class BirdFactAttribute : FactAttribute
{
    public BirdFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux";
        }
        else if (geteuid() != 0)
        {
            Skip = "needs root (network namespace and TAP device)";
        }
        else if (!File.Exists("/usr/sbin/bird") || !File.Exists("/usr/sbin/birdc"))
        {
            Skip = "needs BIRD 2 (/usr/sbin/bird, apt-get install bird2)";
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}

/// <summary>
/// Interop with BIRD 2's BFD (RFC 5880/5881) on a single-hop link: the appliance's router and BFD engine drive a TAP
/// device whose kernel side (198.18.1.1/24) lives in a network namespace of this test, where BIRD runs a BFD
/// session to the appliance (198.18.1.2). Everything the test creates (namespace, TAP, BIRD by pid, temp files) is
/// removed when it ends (DESIGN.md §8).
/// </summary>
public sealed class BirdInteropTests(ITestOutputHelper output) : IDisposable
{
    private static readonly uint Kernel = Ipv4Address.FromOctets(198, 18, 1, 1);
    private static readonly uint Ours = Ipv4Address.FromOctets(198, 18, 1, 2);
    private static int s_counter;

    private readonly List<string> _namespaces = new();
    private readonly List<Process> _processes = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("bfd-bird-").FullName;

    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            try
            {
                if (!p.HasExited)
                {
                    p.Kill();
                    p.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            p.Dispose();
        }

        foreach (string ns in _namespaces)
        {
            Run(false, "ip", "netns", "del", ns);
        }

        try
        {
            Directory.Delete(_dir, true);
        }
        catch (IOException)
        {
        }
    }

    [BirdFact]
    public void SessionComesUpWithBirdAtHundredMsTimesThreeAndDetectsItsLoss()
    {
        string ns = $"vpnb-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Run(true, "ip", "netns", "add", ns);
        _namespaces.Add(ns);
        Run(true, "ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        Run(true, "ip", "-n", ns, "link", "set", "lo", "up");
        string dev = $"vpb{Environment.ProcessId % 100000}x{s_counter}";
        using TapPort tap = TapPort.Open(dev, ns);
        Run(true, "ip", "-n", ns, "link", "set", "dev", dev, "up");
        Run(true, "ip", "-n", ns, "addr", "add", "198.18.1.1/24", "dev", dev);

        // The appliance side: router on the TAP (LAN 198.18.1.2/24) with BFD bound to it.
        var c = new Capacities { Routes = 16, TrieNodes = 80, FibRootBits = 5, NextHopGroups = 4, PathsPerGroup = 2, Tunnels = 1, PacketBuffers = 64, PacketBufferSize = 2048, ArpEntries = 8, BgpPeers = 2 };
        var pool = new PacketPool(c.PacketBuffers, c.PacketBufferSize);
        var groups = new NextHopGroupTable(c);
        var fib = new FibTable(16, 80, 5, groups);
        var router = new Router(c, pool, tap, fib, groups);
        router.SetLanAddress(Ours, 24);
        int lan = groups.Create();
        Assert.Equal(FibResult.Ok, groups.AddMember(lan, Router.LanInterface, 0, 1));
        Assert.Equal(FibResult.Ok, fib.Insert(Ipv4Address.FromOctets(198, 18, 1, 0), 24, lan));
        var bfd = new BfdRouterBinding(router, BfdEngine.SessionsFor(c), (uint)Environment.TickCount | 1);
        router.SetLocalUdp(bfd);
        int s = bfd.Engine.AddSession(Router.LanInterface, Kernel, Ours, 0);
        Assert.True(bfd.Engine.Configure(s, 100, 100, 3, 0));

        string conf = Path.Combine(_dir, "bird.conf");
        string sock = Path.Combine(_dir, "bird.ctl");
        File.WriteAllText(conf, $$"""
            router id 198.18.1.1;
            protocol device { }
            protocol bfd bfd1 {
              interface "{{dev}}" { min rx interval 100 ms; min tx interval 100 ms; multiplier 3; };
              neighbor 198.18.1.2 dev "{{dev}}" local 198.18.1.1;
            }
            """);
        var psi = new ProcessStartInfo("ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in new[] { "netns", "exec", ns, "/usr/sbin/bird", "-f", "-c", conf, "-s", sock, "-P", Path.Combine(_dir, "bird.pid") })
        {
            psi.ArgumentList.Add(a);
        }

        Process bird = Process.Start(psi)!;
        _processes.Add(bird);
        bird.BeginOutputReadLine();
        bird.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        long Now() => clock.ElapsedMilliseconds + 1;

        // Drive the packet plane in real time until both sides are Up (bounded).
        bool Pump(long forMs, Func<bool> done)
        {
            long end = Now() + forMs;
            while (Now() < end)
            {
                for (int i = 0; i < 64; i++)
                {
                    int b = pool.Allocate();
                    if (b == PacketPool.Full)
                    {
                        break;
                    }

                    int n = tap.Receive(pool.Data, pool.Offset(b), pool.BufferSize);
                    if (n <= 0)
                    {
                        pool.Release(b);
                        break;
                    }

                    router.OnLanFrame(b, n, Now());
                }

                router.Poll(Now());
                bfd.Poll(Now());
                if (done())
                {
                    return true;
                }

                Thread.Sleep(1);
            }

            return false;
        }

        BfdSession session = bfd.Engine.Session(s);
        Assert.True(Pump(15_000, () => session.IsUp && !session.Polling), $"not up: {session.State}, rx {session.ReceivedPackets}, tx {session.SentPackets}, bird: {Birdc(ns, sock)}");
        Pump(2_000, () => false);
        Assert.True(session.IsUp);
        Assert.Equal(100_000, session.TransmitInterval);
        Assert.Equal(300_000, session.DetectionTime);
        Assert.Equal(3, session.RemoteDetectMult);
        string show = Birdc(ns, sock);
        output.WriteLine(show);
        var text = new System.Text.StringBuilder();
        BfdShow.WritePeers(bfd.Engine, c.Tunnels, Now(), text);
        output.WriteLine(text.ToString());
        Assert.Contains("198.18.1.2", show);
        Assert.Contains("Up", show);
        Assert.Contains("0.100", show);   // BIRD's negotiated interval
        Assert.Equal(0, bfd.Engine.Counters.Discarded);

        // BIRD's session is disabled: it signals AdminDown (or goes silent); ours goes Down within the detection time.
        Birdc(ns, sock, "disable", "bfd1");
        Assert.True(Pump(3_000, () => session.State == BfdState.Down), $"still {session.State}");
        output.WriteLine($"after 'disable bfd1': {session.State}, diag {session.Diag}, remote state {session.RemoteState}, remote diag {session.RemoteDiag}");
        Assert.True(session.Diag == BfdDiag.NeighborSignaledSessionDown || session.Diag == BfdDiag.ControlDetectionTimeExpired, session.Diag.ToString());

        // Enabled again: back Up.
        Birdc(ns, sock, "enable", "bfd1");
        Assert.True(Pump(15_000, () => session.IsUp), $"not up again: {session.State}");

        // BIRD killed (silent peer): detection time expiry, Diag 1, about 300 ms after its last packet.
        bird.Kill();
        bird.WaitForExit(5000);
        long killed = Now();
        Assert.True(Pump(3_000, () => session.State == BfdState.Down), $"still {session.State}");
        Assert.Equal(BfdDiag.ControlDetectionTimeExpired, session.Diag);
        Assert.InRange(session.StateSince - session.LastReceived, 299, 301);
        Assert.True(session.StateSince - killed < 400);
        output.WriteLine($"after kill: down {session.StateSince - killed} ms after the kill, {session.StateSince - session.LastReceived} ms after the last packet");
    }

    private static string Birdc(string ns, string sock, params string[] command)
    {
        var args = new List<string> { "netns", "exec", ns, "/usr/sbin/birdc", "-s", sock };
        args.AddRange(command.Length == 0 ? new[] { "show", "bfd", "sessions" } : command);
        return Run(false, "ip", args.ToArray());
    }

    private static string Run(bool check, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(10_000))
        {
            p.Kill();
            throw new TimeoutException(file + " " + string.Join(' ', args));
        }

        p.WaitForExit();
        if (check && p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        }

        return stdout.Result + stderr.Result;
    }
}
