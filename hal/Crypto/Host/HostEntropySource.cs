using System;
using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>The OS CSPRNG as the HAL entropy source that seeds the DRBG (host build).</summary>
public sealed class HostEntropySource : IEntropySource
{
    /// <inheritdoc />
    public int Fill(byte[] buffer, int offset, int count)
    {
        RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
        return count;
    }
}
