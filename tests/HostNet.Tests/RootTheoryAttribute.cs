using System.Runtime.InteropServices;

namespace VpnAppliance.HostNet.Tests;

/// <summary>A [Theory] with the same conditions as <see cref="RootFactAttribute"/> (Linux, root), skipped otherwise.</summary>
public sealed class RootTheoryAttribute : TheoryAttribute
{
    public RootTheoryAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "needs Linux (TAP devices and network namespaces)";
        }
        else if (geteuid() != 0)
        {
            Skip = "needs root (CAP_NET_ADMIN) to create network namespaces and TAP devices: run `sudo dotnet test tests/HostNet.Tests`";
        }
    }

    [DllImport("libc")]
    private static extern uint geteuid();
}
