using VpnAppliance.Boards;

namespace VpnAppliance.VpnSim;

/// <summary>
/// The host runner of the firmware (the native-sim board).
///   VpnSim run --config FILE [--board NAME] [--wan udp:ADDR[:IKEPORT[:NATTPORT]]] [--lan tap:NAME[@NETNS]]
///                                                                     run one appliance on host ports
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
                "run" => RunCommand.Run(options),
                "check" => RunCommand.Check(options),
                "boards" => BoardsCommand.Run(options),
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

    private static int Usage()
    {
        Console.Error.WriteLine("usage: VpnSim run --config FILE [--board NAME] [--wan udp:ADDR[:IKEPORT[:NATTPORT]]] [--lan tap:NAME[@NETNS]]");
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
    public string Board { get; private set; } = "native-sim";
    public string Wan { get; private set; } = "udp:127.0.0.1:0";
    public string? Lan { get; private set; }
    public bool Write { get; private set; }

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
                case "--lan": o.Lan = Value(); break;
                case "--write": o.Write = true; break;
                default: throw new UsageException($"unknown option '{args[i]}'");
            }
        }

        return o;
    }
}
