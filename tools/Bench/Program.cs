using System;
using System.Linq;
using System.Reflection;

namespace VpnAppliance.Bench;

/// <summary>
/// `dotnet run -c Release --project tools/Bench -- &lt;family&gt; [--quick]`. Without `--quick` a family
/// runs its BenchmarkDotNet suite; with `--quick` it runs a short measured loop (under 60 s) and prints
/// the one-line figures that go into the README's performance table.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var commands = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IBenchCommand).IsAssignableFrom(t) && !t.IsInterface && !t.IsAbstract)
            .Select(t => (IBenchCommand)Activator.CreateInstance(t)!)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToArray();
        if (args.Length == 0 || commands.All(c => c.Name != args[0]))
        {
            Console.Error.WriteLine("usage: Bench <family> [--quick] [BenchmarkDotNet options]");
            foreach (var c in commands)
            {
                Console.Error.WriteLine($"  {c.Name,-8} {c.Description}");
            }

            return 2;
        }

        var command = commands.First(c => c.Name == args[0]);
        return command.Run(args.Skip(1).ToArray());
    }
}
