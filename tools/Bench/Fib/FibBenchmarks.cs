using BenchmarkDotNet.Attributes;
using VpnAppliance.Fib;
using VpnAppliance.Fib.Workloads;

namespace VpnAppliance.Bench.Fib;

/// <summary>
/// BenchmarkDotNet suite. Lookups are measured per batch of 65,536 keys (OperationsPerInvoke), so the reported
/// time per operation is one lookup; insert and delete per route over a whole table build/teardown.
/// Bytes per route are printed by `--quick` (static memory is not a timing).
/// </summary>
[MemoryDiagnoser]
public class FibBenchmarks
{
    private const int Keys = 1 << 16;
    private FibWorkload _work;
    private FibTable _fib;
    private FibTable _scratch;

    [Params(1_000, 10_000, 100_000)]
    public int Routes;

    [GlobalSetup]
    public void Setup()
    {
        _work = new FibWorkload(Routes, RouteMix.Bgp, FibCommand.RootBitsFor(Routes), 42, Keys);
        _fib = _work.NewTable();
        _work.Fill(_fib);
        _scratch = _work.NewTable();
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public long LookupRandom()
    {
        long sum = 0;
        uint[] keys = _work.RandomKeys;
        for (int i = 0; i < keys.Length; i++)
        {
            sum += _fib.Lookup(keys[i]);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Keys)]
    public long LookupTrace()
    {
        long sum = 0;
        uint[] keys = _work.TraceKeys;
        for (int i = 0; i < keys.Length; i++)
        {
            sum += _fib.Lookup(keys[i]);
        }

        return sum;
    }

    [IterationSetup(Target = nameof(Insert))]
    public void ClearScratch() => _scratch.Clear();

    [Benchmark]
    public int Insert()
    {
        _work.Fill(_scratch);
        return _scratch.Count;
    }

    [IterationSetup(Target = nameof(Delete))]
    public void FillScratch()
    {
        _scratch.Clear();
        _work.Fill(_scratch);
    }

    [Benchmark]
    public int Delete()
    {
        for (int i = 0; i < _work.Routes; i++)
        {
            _scratch.Delete(_work.Prefixes[i], _work.Lengths[i]);
        }

        return _scratch.Count;
    }
}
