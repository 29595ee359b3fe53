using System.Runtime.InteropServices;

namespace VpnAppliance.HostNet.Tests;

/// <summary>
/// A [Fact] that runs only as root on Linux (creating network namespaces, TAP and veth devices needs
/// CAP_NET_ADMIN); elsewhere it is reported as skipped with the reason. CI runs as root.
/// </summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
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
