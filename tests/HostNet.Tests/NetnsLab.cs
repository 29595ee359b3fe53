using System.Diagnostics;

namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// The network namespaces and processes of one test (DESIGN.md §8): unique names
/// (vpnt-&lt;pid&gt;-&lt;n&gt;), IPv6 switched off inside them so that the kernel sends nothing on its
/// own (no router solicitations, DAD or MLD), every process started here killed by pid and every
/// namespace deleted on Dispose (which also deletes the devices inside them).
/// </summary>
public sealed class NetnsLab : IDisposable
{
    private const int CommandTimeoutMs = 10_000;
    private static int s_counter;

    private readonly List<string> _namespaces = new();
    private readonly List<string> _rootDevices = new();
    private readonly List<Process> _processes = new();

    /// <summary>Creates a namespace with lo up and IPv6 off; returns its name.</summary>
    public string CreateNamespace()
    {
        string name = $"vpnt-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Ip("netns", "add", name);
        _namespaces.Add(name);
        Run("ip", "netns", "exec", name, "sysctl", "-q", "-w",
            "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        Ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /// <summary>A unique interface name (at most 15 characters) for a device of this test.</summary>
    public string NewDeviceName()
    {
        string name = $"vpt{Environment.ProcessId}x{Interlocked.Increment(ref s_counter)}";
        if (name.Length > 15)
        {
            name = name.Substring(name.Length - 15);
        }

        return name;
    }

    /// <summary>Remembers a device created in the root namespace, deleted on Dispose if it still exists there.</summary>
    public void TrackRootDevice(string name) => _rootDevices.Add(name);

    /// <summary>Runs `ip args...`; throws with its stderr when it fails.</summary>
    public void Ip(params string[] args) => Run("ip", args);

    /// <summary>Starts a process (not waited for); it is killed by pid on Dispose if still running.</summary>
    public Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        _processes.Add(p);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    /// <summary>Runs a command to completion (bounded by a timeout, then killed by pid); throws when it fails.</summary>
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(CommandTimeoutMs))
        {
            Kill(p);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {CommandTimeoutMs} ms");
        }

        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result.Trim()}");
        }

        return stdout.Result;
    }

    /// <summary>Kills the started processes by pid, then deletes the namespaces and leftover root devices.</summary>
    public void Dispose()
    {
        foreach (Process p in _processes)
        {
            Kill(p);
            p.Dispose();
        }

        _processes.Clear();
        foreach (string ns in _namespaces)
        {
            TryRun("ip", "netns", "del", ns);
        }

        _namespaces.Clear();
        foreach (string dev in _rootDevices)
        {
            // Only if it is still in the root namespace (a moved device went away with its namespace).
            if (TryRun("ip", "link", "show", "dev", dev))
            {
                TryRun("ip", "link", "del", "dev", dev);
            }
        }

        _rootDevices.Clear();
    }

    private static bool TryRun(string file, params string[] args)
    {
        try
        {
            Run(file, args);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static void Kill(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill();
                p.WaitForExit(CommandTimeoutMs);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
