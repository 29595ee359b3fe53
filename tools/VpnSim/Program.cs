using VpnAppliance.Boards;

namespace VpnAppliance.VpnSim;

/// <summary>
/// The host runner of the firmware (the native-sim board).
///   VpnSim run --config FILE [--board NAME] [--wan udp:ADDR[:IKEPORT[:NATTPORT]]] [--lan tap:NAME[@NETNS]]
///              [--console stdio|pty] [--flash FILE] [--login on|off]     (ConsoleSetup: console, store, precedence)
///                                                                     run one appliance on host ports
///   VpnSim demo [--seed N]                                             the narrated in-memory demo (no root, no network)
///   VpnSim check --config FILE                                         parse and validate a config
///   VpnSim boards [--write]                                            list boards and budgets; regenerate device profiles
/// Exit codes: 0 ok, 1 config or board error, 2 usage.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Usage();
        }

        try
        {
            var options = Options.Parse(args.Skip(1).ToArray());
            return args[0] switch
            {
                "run" => RunUntilExit(options),
                "check" => RunCommand.Check(options),
                "boards" => BoardsCommand.Run(options),
                "demo" => Demo.DemoCommand.Run(options.Seed),
                _ => Usage(),
            };
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("vpnsim: " + e.Message);
            return Usage();
        }
        catch (BoardFileException e)
        {
            Console.Error.WriteLine("vpnsim: board: " + e.Message);
            return 1;
        }
    }

    // `reload` on the console ends Run with ReloadExitCode: start the appliance again (a board resets).
    private static int RunUntilExit(Options options)
    {
        int rc;
        do
        {
            rc = RunCommand.Run(options);
        }
        while (rc == ConsoleSetup.ReloadExitCode);
        return rc;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: VpnSim run --config FILE [--board NAME] [--wan udp:ADDR[:IKEPORT[:NATTPORT]]] [--lan tap:NAME[@NETNS]]");
        Console.Error.WriteLine("                  [--console stdio|pty] [--flash FILE] [--login on|off]");
        Console.Error.WriteLine("       VpnSim demo [--seed N]");
        Console.Error.WriteLine("       VpnSim check --config FILE");
        Console.Error.WriteLine("       VpnSim boards [--write]");
        return 2;
    }
}

/// <summary>A command-line mistake.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>The options every command understands.</summary>
public sealed class Options
{
    public string? ConfigPath { get; private set; }
    public long Seed { get; private set; } = 1;
    public string Board { get; private set; } = "native-sim";
    public string Wan { get; private set; } = "udp:127.0.0.1:0";
    public string? Lan { get; private set; }
    public bool Write { get; private set; }
    public string ConsoleKind { get; private set; } = "stdio";
    public string? FlashPath { get; private set; }
    public string? Login { get; private set; }

    public static Options Parse(string[] args)
    {
        var o = new Options();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new UsageException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--config": o.ConfigPath = Value(); break;
                case "--board": o.Board = Value(); break;
                case "--wan": o.Wan = Value(); break;
                case "--seed": o.Seed = long.TryParse(Value(), out long seed) ? seed : throw new UsageException("--seed: a number"); break;
                case "--lan": o.Lan = Value(); break;
                case "--write": o.Write = true; break;
                case "--console": o.ConsoleKind = Value(); break;
                case "--flash": o.FlashPath = Value(); break;
                case "--login": o.Login = Value(); break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }

        return o;
    }
}
