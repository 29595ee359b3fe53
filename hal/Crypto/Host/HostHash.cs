using System;
using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>A hash over System.Security.Cryptography's IncrementalHash (FIPS 180-4 via the OS library).</summary>
public sealed class HostHash : IHash
{
    private readonly IncrementalHash _hash;
    private bool _dirty;

    /// <summary>Creates the hash for <paramref name="algorithm"/>.</summary>
    public HostHash(HashAlgorithm algorithm)
    {
        _hash = IncrementalHash.CreateHash(HostAlgorithms.Name(algorithm));
        HashLength = IntegrityTruncation.DigestLength(algorithm);
        BlockLength = algorithm == HashAlgorithm.Sha384 || algorithm == HashAlgorithm.Sha512 ? 128 : 64;
    }

    /// <inheritdoc />
    public int HashLength { get; }

    /// <inheritdoc />
    public int BlockLength { get; }

    /// <inheritdoc />
    public void Reset()
    {
        if (_dirty)
        {
            Span<byte> discard = stackalloc byte[64];
            _hash.TryGetHashAndReset(discard, out _);
            _dirty = false;
        }
    }

    /// <inheritdoc />
    public void Update(byte[] data, int offset, int count)
    {
        _hash.AppendData(data, offset, count);
        _dirty = true;
    }

    /// <inheritdoc />
    public void Final(byte[] output, int offset)
    {
        _hash.TryGetHashAndReset(output.AsSpan(offset, HashLength), out _);
        _dirty = false;
    }
}
