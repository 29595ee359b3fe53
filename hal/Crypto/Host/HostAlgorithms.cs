using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>Maps the HAL's hash enum onto .NET's algorithm names.</summary>
internal static class HostAlgorithms
{
    public static HashAlgorithmName Name(HashAlgorithm algorithm) => algorithm switch
    {
        HashAlgorithm.Sha1 => HashAlgorithmName.SHA1,
        HashAlgorithm.Sha256 => HashAlgorithmName.SHA256,
        HashAlgorithm.Sha384 => HashAlgorithmName.SHA384,
        HashAlgorithm.Sha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
