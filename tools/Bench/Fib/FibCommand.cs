using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Running;
using VpnAppliance.Fib.Workloads;

namespace VpnAppliance.Bench.Fib;

/// <summary>
/// `Bench fib`: the FIB benchmark. Without `--quick`, the BenchmarkDotNet suite in <see cref="FibBenchmarks"/>.
/// With `--quick`: Stopwatch loops (under 60 s), one line per table size:
/// `fib routes=&lt;n&gt; lookup_mlps=&lt;random keys&gt; insert_kops=&lt;y&gt; bytes_per_route=&lt;nano model&gt;` followed by the
/// other figures (locality trace, delete rate, host-model bytes, the node count and root width used).
/// </summary>
public sealed class FibCommand : IBenchCommand
{
    /// <summary>Root width used for each measured size: FibSizing.RootBitsFor (from the `--sweep`).</summary>
    public static int RootBitsFor(int routes) => VpnAppliance.Fib.FibSizing.RootBitsFor(routes);

    public string Name => "fib";

    public string Description => "FIB trie: lookups/s (random, locality trace), insert/delete rate, bytes per route";

    public int Run(string[] args)
    {
        if (args.Contains("--quick"))
        {
            int root = Array.IndexOf(args, "--root");
            int rootBits = root >= 0 && root + 1 < args.Length ? int.Parse(args[root + 1]) : 0;
            return Quick(args.Contains("--uniform") ? RouteMix.BgpUniformAddress : RouteMix.Bgp, args.Contains("--sweep"), rootBits, args.Contains("--strides"));
        }

        // Artifacts under $VPN_ARTIFACTS (or the temp folder), not in the working tree; a generous build timeout
        // because the machine is shared. `--inProcess` (a BenchmarkDotNet option) skips the separate build.
        string artifacts = Environment.GetEnvironmentVariable("VPN_ARTIFACTS") ?? System.IO.Path.GetTempPath();
        var config = DefaultConfig.Instance
            .WithArtifactsPath(System.IO.Path.Combine(artifacts, "BenchmarkDotNet.Artifacts"))
            .WithBuildTimeout(TimeSpan.FromMinutes(10));
        BenchmarkRunner.Run<FibBenchmarks>(config, args);
        return 0;
    }

    private static int Quick(RouteMix mix, bool sweep, int rootBitsOverride, bool strides)
    {
        foreach (int n in new[] { 1_000, 10_000, 100_000 })
        {
            if (strides)
            {
                StrideModel.Run(new FibWorkload(n, mix, rootBitsOverride > 0 ? rootBitsOverride : RootBitsFor(n), 42, 1 << 16));
                continue;
            }

            if (sweep)
            {
                for (int bits = 4; bits <= 16; bits++)
                {
                    var w = new FibWorkload(n, mix, bits, 42, 1 << 10);
                    var (nano, host) = w.StaticBytes();
                    Console.WriteLine($"sweep routes={n} root_bits={bits} full_nodes={w.FullNodes} words={w.Words} node_capacity={w.Nodes} bytes_per_route_nano={(double)nano / n:F2} bytes_per_route_host={(double)host / n:F2}");
                }

                continue;
            }

            var work = new FibWorkload(n, mix, rootBitsOverride > 0 ? rootBitsOverride : RootBitsFor(n), 42, 1 << 20);
            var fib = work.NewTable();

            // Insert and delete rates: fill an empty tight table, then empty it; best of 5 rounds.
            double insertKops = 0, deleteKops = 0;
            for (int round = 0; round < 5; round++)
            {
                var sw = Stopwatch.StartNew();
                work.Fill(fib);
                insertKops = Math.Max(insertKops, n / sw.Elapsed.TotalSeconds / 1e3);
                sw.Restart();
                for (int i = 0; i < n; i++)
                {
                    fib.Delete(work.Prefixes[i], work.Lengths[i]);
                }

                deleteKops = Math.Max(deleteKops, n / sw.Elapsed.TotalSeconds / 1e3);
            }

            // The same inserts into a table sized by the board rule (FibSizing.TrieNodesFor): the headroom a
            // configured board has, so fewer compactions than the tight table above.
            var sized = new VpnAppliance.Fib.FibTable(n, VpnAppliance.Fib.FibSizing.TrieNodesFor(n), work.RootBits, null);
            double sizedKops = 0;
            for (int round = 0; round < 5; round++)
            {
                sized.Clear();
                var sw = Stopwatch.StartNew();
                work.Fill(sized);
                sizedKops = Math.Max(sizedKops, n / sw.Elapsed.TotalSeconds / 1e3);
            }

            work.Fill(fib);
            var (random, randomCpu) = LookupRate(fib, work.RandomKeys);
            var (trace, traceCpu) = LookupRate(fib, work.TraceKeys);
            var (nanoBytes, hostBytes) = work.StaticBytes();
            Console.WriteLine(
                $"fib routes={n} lookup_mlps={random:F1} insert_kops={insertKops:F0} bytes_per_route={(double)nanoBytes / n:F2}" +
                $" trace_mlps={trace:F1} delete_kops={deleteKops:F0} insert_kops_sized={sizedKops:F0} bytes_per_route_host={(double)hostBytes / n:F2}" +
                $" lookup_mlps_cpu={randomCpu:F1} trace_mlps_cpu={traceCpu:F1}" +
                $" full_nodes={work.FullNodes} words={work.Words} node_capacity={work.Nodes} root_bits={work.RootBits} compactions={fib.Compactions} mix={mix}");
        }

        return 0;
    }

    // Million lookups per second over the key array: best of 5 passes of ~0.3 s, by wall clock and by the
    // process's CPU time (the second is what the loop costs when the shared machine is loaded).
    private static (double Wall, double Cpu) LookupRate(VpnAppliance.Fib.FibTable fib, uint[] keys)
    {
        long sink = 0;
        double best = 0;
        double bestCpu = 0;
        var process = Process.GetCurrentProcess();
        for (int pass = 0; pass < 6; pass++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            int reps = 0;
            do
            {
                for (int i = 0; i < keys.Length; i++)
                {
                    sink += fib.Lookup(keys[i]);
                }

                reps++;
            }
            while (sw.ElapsedMilliseconds < 300);

            double seconds = sw.Elapsed.TotalSeconds;
            process.Refresh();
            double cpuSeconds = (process.TotalProcessorTime - cpu0).TotalSeconds;
            if (pass > 0)
            {
                best = Math.Max(best, (double)reps * keys.Length / seconds / 1e6);
                bestCpu = Math.Max(bestCpu, (double)reps * keys.Length / Math.Max(cpuSeconds, 1e-3) / 1e6);
            }
        }

        GC.KeepAlive(sink);
        return (best, bestCpu);
    }
}
