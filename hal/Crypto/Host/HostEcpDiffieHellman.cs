using System;
using System.Numerics;
using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>
/// ECDH for IKE groups 19/20 (RFC 5903) over System.Security.Cryptography.ECDiffieHellman (OpenSSL on Linux):
/// KE data x || y, shared secret x (DeriveRawSecretAgreement). The peer point is also checked here with
/// BigInteger (coordinates below p, y^2 = x^3 - 3x + b) so that the host rejects exactly what the managed code rejects.
/// </summary>
public sealed class HostEcpDiffieHellman : IDiffieHellman
{
    private readonly ECCurve _curve;
    private readonly int _length;
    private readonly BigInteger _p;
    private readonly BigInteger _b;
    private readonly BigInteger _n;
    private ECDiffieHellman _key;
    private byte[] _public;

    /// <summary>Creates an exchange in group 19 (P-256) or 20 (P-384).</summary>
    public HostEcpDiffieHellman(int group)
    {
        Group = group;
        if (group == DhGroup.Ecp384)
        {
            _curve = ECCurve.NamedCurves.nistP384;
            _length = 48;
            _p = HostModpGroups.FromHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF");
            _b = HostModpGroups.FromHex("B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875AC656398D8A2ED19D2A85C8EDD3EC2AEF");
            _n = HostModpGroups.FromHex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973");
        }
        else
        {
            _curve = ECCurve.NamedCurves.nistP256;
            _length = 32;
            _p = HostModpGroups.FromHex("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF");
            _b = HostModpGroups.FromHex("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B");
            _n = HostModpGroups.FromHex("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551");
        }
    }

    /// <inheritdoc />
    public int Group { get; }

    /// <inheritdoc />
    public bool IsWeak => false;

    /// <inheritdoc />
    public int PublicValueLength => 2 * _length;

    /// <inheritdoc />
    public int SharedSecretLength => _length;

    /// <inheritdoc />
    public CryptoResult GenerateKeyPair(IRandom random)
    {
        byte[] draw = new byte[_length];
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
        if (privateValue == null || offset < 0 || count < 0 || offset > privateValue.Length - count || count > _length)
        {
            return CryptoResult.InvalidLength;
        }

        var d = new BigInteger(privateValue.AsSpan(offset, count), isUnsigned: true, isBigEndian: true);
        if (d.IsZero || d >= _n)
        {
            return CryptoResult.InvalidKey;
        }

        byte[] padded = new byte[_length];
        Array.Copy(privateValue, offset, padded, _length - count, count);
        _key?.Dispose();
        _key = ECDiffieHellman.Create(new ECParameters { Curve = _curve, D = padded });
        ECParameters exported = _key.ExportParameters(false);
        _public = new byte[2 * _length];
        exported.Q.X.CopyTo(_public, 0);
        exported.Q.Y.CopyTo(_public, _length);
        Array.Clear(padded);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult GetPublicValue(byte[] output, int offset)
    {
        if (_key == null)
        {
            return CryptoResult.InvalidState;
        }

        Array.Copy(_public, 0, output, offset, _public.Length);
        return CryptoResult.Ok;
    }

    /// <inheritdoc />
    public CryptoResult ComputeSharedSecret(byte[] peerPublic, int offset, int count, byte[] secret, int secretOffset)
    {
        if (_key == null)
        {
            return CryptoResult.InvalidState;
        }

        if (count != 2 * _length || peerPublic == null || offset < 0 || offset > peerPublic.Length - count)
        {
            return CryptoResult.InvalidLength;
        }

        byte[] x = peerPublic.AsSpan(offset, _length).ToArray();
        byte[] y = peerPublic.AsSpan(offset + _length, _length).ToArray();
        var bx = new BigInteger(x, isUnsigned: true, isBigEndian: true);
        var by = new BigInteger(y, isUnsigned: true, isBigEndian: true);
        if (bx >= _p || by >= _p || BigInteger.Remainder(by * by - (bx * bx * bx - 3 * bx + _b), _p) != 0)
        {
            return CryptoResult.InvalidPublicValue;
        }

        try
        {
            using ECDiffieHellman peer = ECDiffieHellman.Create(new ECParameters { Curve = _curve, Q = new ECPoint { X = x, Y = y } });
            byte[] raw = _key.DeriveRawSecretAgreement(peer.PublicKey);
            Array.Copy(raw, 0, secret, secretOffset, _length);
            Array.Clear(raw);
            return CryptoResult.Ok;
        }
        catch (CryptographicException)
        {
            return CryptoResult.InvalidPublicValue;
        }
    }

    /// <inheritdoc />
    public void Clear()
    {
        _key?.Dispose();
        _key = null;
    }
}
