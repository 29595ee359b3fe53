using System;
using System.Security.Cryptography;

namespace VpnAppliance.Hal.Host;

/// <summary>The operating system's CSPRNG (getrandom(2) on Linux) via <see cref="RandomNumberGenerator"/>.</summary>
public sealed class OsEntropy : IEntropySource
{
    /// <summary>Fills the range with OS randomness; returns <paramref name="count"/> (0 for a bad range).</summary>
    public int Fill(byte[] buffer, int offset, int count)
    {
        if (buffer == null || offset < 0 || count < 0 || offset > buffer.Length - count)
        {
            return 0;
        }

        RandomNumberGenerator.Fill(buffer.AsSpan(offset, count));
        return count;
    }
}
