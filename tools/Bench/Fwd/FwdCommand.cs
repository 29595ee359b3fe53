using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Running;

namespace VpnAppliance.Bench.Fwd;

/// <summary>
/// `Bench fwd`: the router's forwarding path. Without `--quick`, the BenchmarkDotNet suite in
/// <see cref="FwdBenchmarks"/>. With `--quick` (a few seconds): Stopwatch loops over <see cref="FwdWorkload"/>
/// printing `fwd pps=&lt;forwarded packets per second&gt; allocs_per_pkt=&lt;bytes allocated per forwarded packet&gt;`
/// (each round trip forwards two packets: LAN -> tunnel and tunnel -> LAN), then the details.
/// </summary>
public sealed class FwdCommand : IBenchCommand
{
    public string Name => "fwd";

    public string Description => "router: packets/s forwarded LAN -> tunnel -> LAN (10,000-route FIB, ECMP, ARP), bytes allocated per packet";

    public int Run(string[] args)
    {
        if (args.Contains("--quick"))
        {
            return Quick();
        }

        BenchmarkRunner.Run<FwdBenchmarks>(args: args);
        return 0;
    }

    private static int Quick()
    {
        var work = new FwdWorkload();
        const int Batch = 1 << 14;

        // Warm-up (JIT tiers, caches), then best of 5 passes of about 0.5 s; allocation over all of them.
        Pass(work, Batch, 0.3);
        long frames = work.Lan.Sent;
        long packets = 0;
        double best = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int pass = 0; pass < 5; pass++)
        {
            var (done, seconds) = Pass(work, Batch, 0.5);
            packets += 2 * done;
            best = Math.Max(best, 2 * done / seconds);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        long delivered = work.Lan.Sent - frames;
        long lost = packets / 2 - delivered;
        Console.WriteLine($"fwd pps={best:F0} allocs_per_pkt={(double)allocated / packets:G3}");
        Console.WriteLine($"fwd routes={work.RoutesInstalled} packets={packets} lost={lost} allocated_bytes={allocated} tunnels={string.Join(",", work.Tunnels.Skip(1).Select(t => t.Packets))} pool_in_use={work.Pool.InUse}");
        return lost == 0 && allocated == 0 ? 0 : 1;
    }

    private static (long RoundTrips, double Seconds) Pass(FwdWorkload work, int batch, double seconds)
    {
        // Stopwatch.GetTimestamp, not StartNew: the measured loop must not allocate (a Stopwatch is an object).
        long done = 0;
        long start = Stopwatch.GetTimestamp();
        double elapsed;
        do
        {
            for (int i = 0; i < batch; i++)
            {
                work.RoundTrip();
            }

            work.Tick();
            done += batch;
        }
        while ((elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds) < seconds);

        return (done, elapsed);
    }
}
