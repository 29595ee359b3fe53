namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>The host build's crypto: System.Security.Cryptography (OpenSSL on Linux) and BigInteger for MODP.</summary>
public sealed class HostCryptoProvider : ICryptoProvider
{
    /// <inheritdoc />
    public string Name => "host";

    /// <inheritdoc />
    public IBlockCipher CreateAes() => new HostAes();

    /// <inheritdoc />
    public ICbcCipher CreateAesCbc() => new HostAesCbc();

    /// <inheritdoc />
    public IAeadCipher CreateAesGcm() => new HostAesGcm();

    /// <inheritdoc />
    public IHash CreateHash(HashAlgorithm algorithm) =>
        IntegrityTruncation.DigestLength(algorithm) == 0 ? null : new HostHash(algorithm);

    /// <inheritdoc />
    public IMac CreateHmac(HashAlgorithm algorithm) =>
        IntegrityTruncation.DigestLength(algorithm) == 0 ? null : new HostHmac(algorithm);

    /// <inheritdoc />
    public IDiffieHellman CreateDiffieHellman(int group, bool allowWeak)
    {
        if (DhGroup.IsWeak(group) && !allowWeak)
        {
            return null;
        }

        return group switch
        {
            DhGroup.Modp1024 or DhGroup.Modp1536 or DhGroup.Modp2048 or DhGroup.Modp2048S256 => new HostModpDiffieHellman(group),
            DhGroup.Ecp256 or DhGroup.Ecp384 => new HostEcpDiffieHellman(group),
            DhGroup.Curve25519 => new Managed.Curve25519.X25519DiffieHellman(), // no .NET X25519 on Linux

            _ => null,
        };
    }
}
