using System.Net;
using VpnAppliance.Boards;
using VpnAppliance.Config;
using VpnAppliance.Core;
using VpnAppliance.Firmware;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.VpnSim;

/// <summary>
/// `VpnSim run`: one appliance on host ports: the real monotonic clock, a UDP socket for the WAN
/// (IKE and NAT-T share it until the IPsec issue binds 500 and 4500 separately), the console on
/// stdin/stdout, log lines on stderr. Prints version, board and a config summary, then runs the
/// event loop until stdin ends. With `--lan tap:NAME[@NETNS]` the appliance's router is on the TAP:
/// it answers ARP and ping on the configured LAN address, routes by the connected and static routes
/// of the configuration, and its TCP is reachable there (`show interfaces`, `ping` on the console).
/// </summary>
public static class RunCommand
{
    /// <summary>Longest the loop sleeps without looking at stdin and the sockets.</summary>
    private const int MaxSleepMs = 20;

    public static int Check(Options options)
    {
        string? text = ReadConfig(options);
        if (text == null)
        {
            return 1;
        }

        var running = new RunningConfig();
        ParseResult parsed = running.Replace(text);
        if (!Report(options, parsed))
        {
            return 1;
        }

        // What `commit` on the board's console would also say: board limits, reachability, cloud rules' warnings.
        string root = BoardCatalog.FindRepoRoot(AppContext.BaseDirectory);
        var limits = ApplianceCli.LimitsOf(BoardCatalog.Find(root, options.Board).ToBoardInfo());
        var commit = new DiagnosticList();
        VpnAppliance.Config.Validation.CommitValidation.Check(running.Model, limits, commit);
        foreach (var warning in parsed.Warnings.Concat(commit.Warnings()))
        {
            Console.Error.WriteLine($"vpnsim: config {options.ConfigPath}: warning: {warning}");
        }

        foreach (var error in commit.Errors())
        {
            Console.Error.WriteLine($"vpnsim: config {options.ConfigPath}: {error}");
        }

        if (commit.ErrorCount > 0)
        {
            Console.Error.WriteLine($"vpnsim: config {options.ConfigPath}: {commit.ErrorCount} error(s) for board {options.Board}");
            return 1;
        }

        foreach (string line in running.Model.Summary())
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    public static int Run(Options options)
    {
        string root = BoardCatalog.FindRepoRoot(AppContext.BaseDirectory);
        BoardProfile board = BoardCatalog.Find(root, options.Board);
        string? text = ReadConfig(options);
        if (text == null)
        {
            return 1;
        }

        (IPAddress wanAddress, int ikePort, int nattPort) = ParseWan(options.Wan);
        var clock = new SystemClock();
        using var wanIke = new UdpSocketPort();
        using var wan = new UdpSocketPort();
        ISerialPort console = ConsoleSetup.OpenConsole(options); // kept across reloads (same /dev/pts/N)
        IFlashStore flash = ConsoleSetup.OpenFlash(options);
        using var flashFile = flash as IDisposable;
        using TapPort? lan = OpenLan(options.Lan);
        var entropy = new OsEntropy();
        var hal = new ApplianceHal
        {
            WanIke = wanIke,
            WanNatT = wan,
            Crypto = new HostCryptoProvider(),
            Random = new ManagedCryptoProvider().CreateRandom(entropy),
            Lan = lan,
            Console = console,
            Flash = flash,
            LogSink = new StderrLogSink(),
            Entropy = entropy,
        };

        // The same order as a board's boot: build the pools, then load the configuration
        // (from flash on a device, from --config here); a configuration with errors is refused whole.
        var appliance = new Appliance(board.ToBoardInfo(), hal);
        ParseResult parsed = ConsoleSetup.LoadBootConfig(appliance, text, options, out string configSource);
        if (!Report(options, parsed))
        {
            return 1;
        }

        PortResult bind = wanIke.Bind(ToHostOrder(wanAddress), ikePort);
        if (bind == PortResult.Ok)
        {
            bind = wan.Bind(ToHostOrder(wanAddress), nattPort);
        }

        if (bind != PortResult.Ok)
        {
            Console.Error.WriteLine($"vpnsim: cannot bind WAN {options.Wan}: {bind}");
            return 1;
        }

        var local = new UdpEndpoint();
        var localIke = new UdpEndpoint();
        wan.GetLocalEndpoint(local);
        wanIke.GetLocalEndpoint(localIke);
        MemoryBudget budget = BoardCatalog.Budget(board.Capacities);
        Console.WriteLine($"{FirmwareVersion.Product} {FirmwareVersion.Text}");
        Console.WriteLine($"board {board.Name} ({board.Chip}), static pools {budget.NanoBytes} bytes of {board.HeapBudgetBytes}");
        Console.WriteLine($"config {configSource}:");
        foreach (string line in appliance.Config.Model.Summary())
        {
            Console.WriteLine("  " + line);
        }

        foreach (var warning in parsed.Warnings)
        {
            Console.WriteLine("  warning: " + warning);
        }

        Console.WriteLine($"wan udp {localIke} (IKE), {local} (NAT-T: IKE and ESP-in-UDP)");
        if (lan != null)
        {
            var mac = new byte[6];
            lan.GetMacAddress(mac, 0);
            uint lanAddress = appliance.Router.LanAddress;
            Console.WriteLine($"lan tap {lan.Name}{(options.Lan!.Contains('@') ? " in netns " + options.Lan[(options.Lan.IndexOf('@') + 1)..] : "")}" +
                $", mac {Convert.ToHexString(mac).ToLowerInvariant()}, address " +
                (lanAddress == 0 ? "none" : $"{lanAddress >> 24}.{(lanAddress >> 16) & 255}.{(lanAddress >> 8) & 255}.{lanAddress & 255}/{appliance.PlaneConfig.LanPrefixLength}"));
        }
        Console.WriteLine(ConsoleSetup.Describe(console));
        Console.Out.Flush();

        // One poll(2) over the WAN socket and the TAP; stdin is looked at every MaxSleepMs.
        var ready = new PollSet(3);
        ready.Add(wanIke);
        ready.Add(wan);
        if (lan != null)
        {
            ready.Add(lan);
        }

        appliance.Start(clock.NowMs);
        ApplianceCli cli = ConsoleSetup.AttachCli(appliance, options);
        while (!appliance.ConsoleClosed && !cli.ReloadRequested)
        {
            long deadline = appliance.Poll(clock.NowMs);
            long wait = Math.Min(deadline - clock.NowMs, MaxSleepMs);
            if (wait > 0)
            {
                ready.Wait((int)wait);
            }
        }

        appliance.Shutdown(clock.NowMs);
        Console.Out.Flush();
        return cli.ReloadRequested ? ConsoleSetup.ReloadExitCode : 0;
    }

    /// <summary>`--lan tap:NAME[@NETNS]`: a TAP device (created or attached), optionally in a network namespace.</summary>
    private static TapPort? OpenLan(string? spec)
    {
        if (spec == null)
        {
            return null;
        }

        if (!spec.StartsWith("tap:", StringComparison.Ordinal) || spec.Length == 4)
        {
            throw new UsageException($"--lan '{spec}': expected tap:NAME[@NETNS]");
        }

        string rest = spec[4..];
        int at = rest.IndexOf('@');
        return at < 0 ? TapPort.Open(rest) : TapPort.Open(rest[..at], rest[(at + 1)..]);
    }

    private static string? ReadConfig(Options options)
    {
        if (options.ConfigPath == null)
        {
            if (options.FlashPath != null)
            {
                return ""; // first boot without a configuration: configure it on the console and save
            }

            throw new UsageException("--config FILE (or --flash FILE) is required");
        }

        if (!File.Exists(options.ConfigPath))
        {
            Console.Error.WriteLine($"vpnsim: config {options.ConfigPath}: no such file");
            return null;
        }

        return File.ReadAllText(options.ConfigPath);
    }

    private static bool Report(Options options, ParseResult parsed)
    {
        if (parsed.Ok)
        {
            return true;
        }

        foreach (var error in parsed.Errors)
        {
            Console.Error.WriteLine($"vpnsim: config {options.ConfigPath}: {error}");
        }

        Console.Error.WriteLine($"vpnsim: config {options.ConfigPath}: {parsed.Errors.Length} error(s); nothing applied");
        return false;
    }

    /// <summary>
    /// `--wan udp:ADDR[:IKEPORT[:NATTPORT]]`: the two WAN sockets. Without ports they are 500 and 4500 (a real
    /// gateway's view); IKEPORT 0 binds both ephemerally (tests, CI); NATTPORT defaults to 4500, or 0 when IKEPORT is 0.
    /// </summary>
    private static (IPAddress, int, int) ParseWan(string spec)
    {
        if (!spec.StartsWith("udp:", StringComparison.Ordinal))
        {
            throw new UsageException($"--wan '{spec}': expected udp:ADDR[:IKEPORT[:NATTPORT]]");
        }

        string[] parts = spec[4..].Split(':');
        int ike = 500;
        int natt = 4500;
        bool ok = parts.Length <= 3 && IPAddress.TryParse(parts[0], out IPAddress? ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        if (ok && parts.Length >= 2)
        {
            ok = int.TryParse(parts[1], out ike) && ike >= 0 && ike <= 65535;
            natt = ike == 0 ? 0 : 4500;
        }

        if (ok && parts.Length == 3)
        {
            ok = int.TryParse(parts[2], out natt) && natt >= 0 && natt <= 65535;
        }

        if (!ok)
        {
            throw new UsageException($"--wan '{spec}': expected udp:IPV4[:IKEPORT[:NATTPORT]]");
        }

        return (IPAddress.Parse(parts[0]), ike, natt);
    }

    private static uint ToHostOrder(IPAddress address)
    {
        byte[] b = address.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }
}
