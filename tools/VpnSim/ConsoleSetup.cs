using VpnAppliance.Cli;
using VpnAppliance.Config;
using VpnAppliance.Firmware;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.VpnSim;

/// <summary>
/// The console and the configuration store of `VpnSim run` (docs/cli.md "Simulator"):
/// <list type="bullet">
/// <item>`--console stdio` (default): stdin/stdout; `--console pty`: a pseudo-terminal whose /dev/pts/N path is
/// printed in the banner (attach `screen /dev/pts/N` or `picocom /dev/pts/N`).</item>
/// <item>`--flash FILE`: the A/B configuration store in a file (created erased); without it the store is in RAM
/// and `save` lasts until VpnSim exits.</item>
/// <item>Boot: the newest valid configuration saved in the flash wins; `--config FILE` is the first-boot
/// configuration used when the flash holds none (and always by `check`).</item>
/// <item>Login: `--login on|off`; by default on for a pty and for a stdin that is a terminal, off when stdin is
/// a pipe or a file (scripts and CI: `VpnSim run --config X &lt; /dev/null` still prints the banner and exits 0).</item>
/// </list>
/// </summary>
public static class ConsoleSetup
{
    /// <summary>Bytes per flash slot of the simulated store (two slots).</summary>
    public const int FlashSlotSize = 256 * 1024;

    /// <summary>Exit code of <see cref="RunCommand.Run"/> that asks Program to start the appliance again (reload).</summary>
    public const int ReloadExitCode = 100;

    private static ISerialPort? _console;

    /// <summary>
    /// The console `--console` names, opened once per process: a reload keeps it (the same /dev/pts/N stays
    /// attached, stdin is not read by two readers); it is closed when the process exits.
    /// </summary>
    public static ISerialPort OpenConsole(Options options)
    {
        if (_console != null)
        {
            return _console;
        }

        if (options.ConsoleKind == "pty")
        {
            _console = PtySerial.Open();
        }
        else if (options.ConsoleKind == "stdio")
        {
            _console = new StdioSerial(Console.OpenStandardInput(), Console.OpenStandardOutput());
        }
        else
        {
            throw new UsageException($"--console '{options.ConsoleKind}': expected stdio or pty");
        }

        return _console;
    }

    /// <summary>The flash store: the `--flash` file, else RAM.</summary>
    public static IFlashStore OpenFlash(Options options)
    {
        return options.FlashPath == null
            ? new VpnAppliance.Hal.Doubles.MemoryFlash(2, FlashSlotSize, 0xFF)
            : new FileFlash(options.FlashPath, 2, FlashSlotSize);
    }

    /// <summary>
    /// Loads the boot configuration: the flash's newest valid record, else <paramref name="firstBoot"/>.
    /// <paramref name="source"/> says which was used.
    /// </summary>
    public static ParseResult LoadBootConfig(Appliance appliance, string firstBoot, Options options, out string source)
    {
        ParseResult saved = ApplianceCli.LoadSaved(appliance);
        if (saved != null)
        {
            source = "flash" + (options.FlashPath != null ? " " + options.FlashPath : "");
            if (saved.Ok)
            {
                return saved;
            }

            Console.Error.WriteLine("vpnsim: the configuration saved in flash no longer parses; using the first-boot configuration");
        }

        source = options.ConfigPath ?? "(empty)";
        return appliance.LoadConfig(firstBoot);
    }

    /// <summary>Attaches the CLI to the appliance's console.</summary>
    public static ApplianceCli AttachCli(Appliance appliance, Options options)
    {
        bool login = options.Login switch
        {
            "on" => true,
            "off" => false,
            null => options.ConsoleKind == "pty" || !Console.IsInputRedirected,
            _ => throw new UsageException($"--login '{options.Login}': expected on or off"),
        };
        return ApplianceCli.Attach(appliance, new CliSettings { LoginRequired = login });
    }

    /// <summary>The banner line naming the console.</summary>
    public static string Describe(ISerialPort console) =>
        console is PtySerial pty ? $"console pty {pty.SlavePath}" : "console stdio";
}
