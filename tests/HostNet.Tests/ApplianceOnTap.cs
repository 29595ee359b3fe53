using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using VpnAppliance.Boards;
using VpnAppliance.Firmware;
using VpnAppliance.Hal.Doubles;
using VpnAppliance.Hal.Host;

namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// The appliance (native-sim board) in the test process on a TAP LAN port inside a namespace of the test's
/// <see cref="NetnsLab"/>. The event loop runs on the test thread, bounded in time and iterations
/// (<see cref="RunUntil"/>): the appliance is single-threaded and the test calls its TCP between polls.
/// </summary>
public sealed class ApplianceOnTap : IDisposable
{
    /// <summary>Longest the loop sleeps between polls (the TAP wakes it earlier).</summary>
    public const int MaxSleepMs = 5;

    private readonly SystemClock _clock = new();
    private readonly PollSet _ready = new(1);

    /// <summary>Opens <paramref name="device"/> in <paramref name="netns"/> and loads <paramref name="config"/>.</summary>
    public ApplianceOnTap(string device, string netns, string config, string board = "native-sim")
    {
        Port = TapPort.Open(device, netns);
        string root = RepoRoot;
        Log = new MemoryLogSink(256);
        Appliance = new Appliance(BoardCatalog.Find(root, board).ToBoardInfo(),
            new ApplianceHal { Lan = Port, LogSink = Log, Entropy = new OsEntropy() });
        var parsed = Appliance.LoadConfig(config);
        Assert.True(parsed.Ok, string.Join("; ", parsed.Errors.Select(e => e.ToString())));
        _ready.Add(Port);
        Appliance.Start(_clock.NowMs);
    }

    /// <summary>The repository (from this source file: the build output may live outside the tree).</summary>
    public static string RepoRoot { get; } = BoardCatalog.FindRepoRoot(Here());

    public TapPort Port { get; }

    public Appliance Appliance { get; }

    public MemoryLogSink Log { get; }

    /// <summary>The appliance's MAC on the wire.</summary>
    public byte[] Mac
    {
        get
        {
            var mac = new byte[6];
            Port.GetMacAddress(mac, 0);
            return mac;
        }
    }

    public long NowMs => _clock.NowMs;

    /// <summary>
    /// Polls until <paramref name="done"/> is true (checked after each poll and <paramref name="between"/>), at
    /// most <paramref name="timeoutMs"/> and 2,000,000 iterations. Returns whether done became true.
    /// </summary>
    public bool RunUntil(Func<bool> done, int timeoutMs, Action? between = null)
    {
        var watch = Stopwatch.StartNew();
        for (int i = 0; i < 2_000_000; i++)
        {
            long deadline = Appliance.Poll(_clock.NowMs);
            between?.Invoke();
            if (done())
            {
                return true;
            }

            if (watch.ElapsedMilliseconds > timeoutMs)
            {
                return false;
            }

            // The test's TCP calls between polls (Send, Receive opening the window) leave output pending: no sleep then.
            deadline = Math.Min(deadline, Appliance.Tcp.NextDeadline);
            long wait = Math.Min(deadline - _clock.NowMs, MaxSleepMs);
            if (wait > 0)
            {
                _ready.Wait((int)wait);
            }
        }

        return false;
    }

    public void Dispose() => Port.Dispose();

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}

/// <summary>
/// A child process whose output lines are collected from the start (handlers attached before reading begins);
/// killed by pid on Dispose if still running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;

    public ChildProcess(string file, params string[] args)
        : this(null, file, args)
    {
    }

    private ChildProcess(string? workingDirectory, string file, string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        _process = new Process { StartInfo = psi };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                Lines.Enqueue(e.Data);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                Errors.Enqueue(e.Data);
            }
        };
        if (!_process.Start())
        {
            throw new InvalidOperationException($"cannot start {file}");
        }

        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts <paramref name="file"/> in <paramref name="workingDirectory"/>.</summary>
    public static ChildProcess InDirectory(string workingDirectory, string file, params string[] args) => new(workingDirectory, file, args);

    public ConcurrentQueue<string> Lines { get; } = new();

    public ConcurrentQueue<string> Errors { get; } = new();

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public StreamWriter Input => _process.StandardInput;

    /// <summary>True when a stdout line starts with <paramref name="prefix"/>; <paramref name="line"/> is the first such.</summary>
    public bool HasLine(string prefix, out string line)
    {
        line = Lines.FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? "";
        return line.Length > 0;
    }

    /// <summary>Waits for exit (and the end of its output) at most <paramref name="timeoutMs"/>.</summary>
    public bool WaitExit(int timeoutMs)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            return false;
        }

        _process.WaitForExit(); // flushes the asynchronous output readers
        return true;
    }

    public string Describe() => $"stdout: {string.Join(" | ", Lines)}; stderr: {string.Join(" | ", Errors)}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }
}
