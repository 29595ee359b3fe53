using System;
using System.Numerics;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>MODP Diffie-Hellman with System.Numerics.BigInteger.ModPow (host build; not constant-time).</summary>
public sealed class HostModpDiffieHellman : IDiffieHellman
{
    private readonly BigInteger _p;
    private readonly BigInteger _g;
    private readonly BigInteger _q;
    private readonly int _exponentBits;
    private BigInteger _x;
    private BigInteger _y;
    private bool _hasKey;

    /// <summary>Creates an exchange in a MODP group known to <see cref="HostModpGroups"/>.</summary>
    public HostModpDiffieHellman(int group)
    {
        HostModpGroups.TryGet(group, out _p, out _g, out _q, out _exponentBits);
        Group = group;
        PublicValueLength = (int)((_p.GetBitLength() + 7) / 8);
    }

    /// <inheritdoc />
    public int Group { get; }

    /// <inheritdoc />
    public bool IsWeak => DhGroup.IsWeak(Group);

    /// <inheritdoc />
    public int PublicValueLength { get; }

    /// <inheritdoc />
    public int SharedSecretLength => PublicValueLength;

    /// <inheritdoc />
    public CryptoResult GenerateKeyPair(IRandom random)
    {
        byte[] draw = new byte[_exponentBits / 8];
        for (int attempt = 0; attempt < 64; attempt++)
        {
            CryptoResult drawn = random.NextBytes(draw, 0, draw.Length);
            if (drawn != CryptoResult.Ok)
            {
                return drawn;
            }

            if (SetPrivateValue(draw, 0, draw.Length) == CryptoResult.Ok)
            {
                Array.Clear(draw);
                return CryptoResult.Ok;
            }
        }

        return CryptoResult.EntropyUnavailable;
    }

    /// <inheritdoc />
    public CryptoResult SetPrivateValue(byte[] privateValue, int offset, int count)
    {
        if (privateValue == null || offset < 0 || count < 0 || offset > privateValue.Length - count || count > _exponentBits / 8)
        {
            return CryptoResult.InvalidLength;
        }

        var x = new BigInteger(privateValue.AsSpan(offset, count), isUnsigned: true, isBigEndian: true);
        if (x <= 1 || (!_q.IsZero && x >= _q))
        {
            return CryptoResult.InvalidKey;
        }

        _x = x;
        _y = BigInteger.ModPow(_g, _x, _p);
        _hasKey = true;
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult GetPublicValue(byte[] output, int offset)
    {
        if (!_hasKey)
        {
            return CryptoResult.InvalidState;
        }

        Write(_y, output, offset);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult ComputeSharedSecret(byte[] peerPublic, int offset, int count, byte[] secret, int secretOffset)
    {
        if (!_hasKey)
        {
            return CryptoResult.InvalidState;
        }

        if (count != PublicValueLength || peerPublic == null || offset < 0 || offset > peerPublic.Length - count)
        {
            return CryptoResult.InvalidLength;
        }

        var y = new BigInteger(peerPublic.AsSpan(offset, count), isUnsigned: true, isBigEndian: true);
        if (y <= 1 || y >= _p - 1 || (!_q.IsZero && !BigInteger.ModPow(y, _q, _p).IsOne))
        {
            return CryptoResult.InvalidPublicValue;
        }

        Write(BigInteger.ModPow(y, _x, _p), secret, secretOffset);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public void Clear()
    {
        _x = BigInteger.Zero;
        _hasKey = false;
    }

    private void Write(BigInteger value, byte[] output, int offset)
    {
        Span<byte> target = output.AsSpan(offset, PublicValueLength);
        target.Clear();
        int length = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(target.Slice(PublicValueLength - length), out _, isUnsigned: true, isBigEndian: true);
    }
}
