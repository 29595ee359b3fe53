using System;
using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>HMAC (RFC 2104) over IncrementalHash.CreateHMAC; the key is fixed per SA (SetKey allocates, messages do not).</summary>
public sealed class HostHmac : IMac
{
    private readonly HashAlgorithmName _name;
    private IncrementalHash _hmac;
    private bool _dirty;

    /// <summary>Creates an unkeyed HMAC over <paramref name="algorithm"/>.</summary>
    public HostHmac(HashAlgorithm algorithm)
    {
        _name = HostAlgorithms.Name(algorithm);
        MacLength = IntegrityTruncation.DigestLength(algorithm);
    }

    /// <inheritdoc />
    public int MacLength { get; }

    /// <inheritdoc />
    public CryptoResult SetKey(byte[] key, int offset, int count)
    {
        if (count < 0 || (count > 0 && (key == null || offset < 0 || offset + count > key.Length)))
        {
            return CryptoResult.InvalidKey;
        }

        _hmac?.Dispose();
        _hmac = IncrementalHash.CreateHMAC(_name, count == 0 ? ReadOnlySpan<byte>.Empty : key.AsSpan(offset, count));
        _dirty = false;
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Final already restarts the message; only discard data absorbed since then.
        if (_hmac != null && _dirty)
        {
            Span<byte> discard = stackalloc byte[64];
            _hmac.TryGetHashAndReset(discard, out _);
            _dirty = false;
        }
    }

    /// <inheritdoc />
    public void Update(byte[] data, int offset, int count)
    {
        _hmac?.AppendData(data, offset, count);
        _dirty = true;
    }

    /// <inheritdoc />
    public void Final(byte[] output, int offset)
    {
        _hmac?.TryGetHashAndReset(output.AsSpan(offset, MacLength), out _);
        _dirty = false;
    }

    /// <inheritdoc />
    public void Clear()
    {
        // Dispose releases (and the OS library clears) the keyed HMAC context.
        _hmac?.Dispose();
        _hmac = null;
    }
}
