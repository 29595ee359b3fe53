using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;

namespace VpnAppliance.Crypto.Tests;

/// <summary>The implementations every vector test runs against, by name (for [Theory] data).</summary>
internal static class Providers
{
    public static ICryptoProvider Get(string name) => name switch
    {
        "host" => new HostCryptoProvider(),
        _ => new ManagedCryptoProvider(),
    };

    public static TheoryData<string> Both => new() { "managed", "host" };
}
