using BenchmarkDotNet.Attributes;

namespace VpnAppliance.Bench.Fwd;

/// <summary>
/// BenchmarkDotNet suite: time per forwarded packet (a round trip of 1,024 packets each way per invocation, so
/// OperationsPerInvoke counts both directions) and, with the memory diagnoser, allocation (expected: 0 B).
/// </summary>
[MemoryDiagnoser]
public class FwdBenchmarks
{
    private const int RoundTrips = 1024;
    private FwdWorkload _work;

    [Params(64, 1400)]
    public int PayloadBytes;

    [GlobalSetup]
    public void Setup() => _work = new FwdWorkload(PayloadBytes);

    [Benchmark(OperationsPerInvoke = 2 * RoundTrips)]
    public int ForwardLanTunnelLan()
    {
        int sum = 0;
        for (int i = 0; i < RoundTrips; i++)
        {
            sum += _work.RoundTrip();
        }

        _work.Tick();
        return sum;
    }
}
