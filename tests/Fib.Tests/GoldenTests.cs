using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace VpnAppliance.Fib.Tests;

/// <summary>Replays Golden/*.in against Golden/*.check and compares with Golden/*.out (format: Golden/README.md).</summary>
public class GoldenTests
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Golden");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Folder, "*.in").OrderBy(f => f, StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(f));
        }

        return data;
    }

    [Fact]
    public void AllCasesPresent()
    {
        var names = Directory.GetFiles(Folder, "*.in").Select(Path.GetFileNameWithoutExtension).ToArray();
        Assert.Contains("basic", names);
        Assert.Contains("replace-delete", names);
        Assert.Contains("full-routes", names);
        Assert.Contains("full-nodes", names);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void TranscriptMatches(string name)
    {
        var expected = File.ReadAllLines(Path.Combine(Folder, name + ".out")).Where(l => l.Length > 0).ToList();
        var got = Run(name, null);
        Assert.Equal(expected, got);
        if (!name.StartsWith("full-nodes", StringComparison.Ordinal))
        {
            foreach (int bits in new[] { 1, 4, 9, 13, 16 })
            {
                Assert.Equal(expected, Run(name, bits));
            }
        }
    }

    private static List<string> Run(string name, int? rootBitsOverride)
    {
        var output = new List<string>();
        FibTable? fib = null;
        foreach (var raw in File.ReadAllLines(Path.Combine(Folder, name + ".in")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var w = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (w[0])
            {
                case "capacity":
                    var kv = w.Skip(1).Select(x => x.Split('=')).ToDictionary(x => x[0], x => int.Parse(x[1]));
                    fib = new FibTable(kv["routes"], kv["nodes"], rootBitsOverride ?? kv["rootbits"], null);
                    break;
                case "add":
                {
                    var (p, l) = ParsePrefix(w[1]);
                    output.Add($"{line} -> {fib!.Insert(p, l, int.Parse(w[2]))}");
                    break;
                }

                case "del":
                {
                    var (p, l) = ParsePrefix(w[1]);
                    output.Add($"{line} -> {fib!.Delete(p, l)}");
                    break;
                }

                default:
                    throw new InvalidDataException($"{name}.in: unknown line '{line}'");
            }
        }

        foreach (var raw in File.ReadAllLines(Path.Combine(Folder, name + ".check")))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            int g = fib!.Lookup(Ip.Parse(line));
            output.Add($"lookup {line} -> {(g < 0 ? "none" : g.ToString())}");
        }

        var visitor = new ListVisitor();
        fib!.Enumerate(visitor);
        output.AddRange(visitor.Routes.Select(r => $"route {Ip.Format(r.Prefix)}/{r.Length} {r.Group}"));
        return output;
    }

    private static (uint, int) ParsePrefix(string s)
    {
        var parts = s.Split('/');
        return (Ip.Parse(parts[0]), int.Parse(parts[1]));
    }
}
