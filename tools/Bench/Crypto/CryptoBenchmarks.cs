using BenchmarkDotNet.Attributes;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;

namespace VpnAppliance.Bench.Crypto;

/// <summary>BenchmarkDotNet suite: per-packet cost of the two ESP transforms, host vs managed.</summary>
[MemoryDiagnoser]
public class CryptoPacketBenchmarks
{
    private CryptoWorkload _workload;

    /// <summary>Implementation.</summary>
    [Params("host", "managed")]
    public string Impl { get; set; }

    /// <summary>Keys the SA.</summary>
    [GlobalSetup]
    public void Setup() => _workload = new CryptoWorkload(CryptoWorkload.Provider(Impl));

    /// <summary>AES-256-CBC + HMAC-SHA2-256-128 on a 1,400-byte packet.</summary>
    [Benchmark]
    public void AesCbcHmacSha256() => _workload.CbcHmac();

    /// <summary>AES-256-GCM-16 on a 1,400-byte packet.</summary>
    [Benchmark]
    public void AesGcm() => _workload.Gcm();
}

/// <summary>BenchmarkDotNet suite: one Diffie-Hellman operation (key pair + shared secret) per group, host vs managed.</summary>
[MemoryDiagnoser]
public class DiffieHellmanBenchmarks
{
    private IDiffieHellman _dh;
    private IRandom _random;
    private byte[] _peer;
    private byte[] _secret;

    /// <summary>Implementation.</summary>
    [Params("host", "managed")]
    public string Impl { get; set; }

    /// <summary>IANA group.</summary>
    [Params(2, 5, 14, 24, 19, 20, 31)]
    public int Group { get; set; }

    /// <summary>Makes the exchange and a valid peer value.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _random = new ManagedCryptoProvider().CreateRandom(new HostEntropySource());
        _dh = CryptoWorkload.Provider(Impl).CreateDiffieHellman(Group, true);
        IDiffieHellman peer = new HostCryptoProvider().CreateDiffieHellman(Group, true);
        peer.GenerateKeyPair(_random);
        _peer = new byte[peer.PublicValueLength];
        peer.GetPublicValue(_peer, 0);
        _secret = new byte[_dh.SharedSecretLength];
    }

    /// <summary>GenerateKeyPair + ComputeSharedSecret: what one side of an IKE exchange costs.</summary>
    [Benchmark]
    public CryptoResult Exchange()
    {
        _dh.GenerateKeyPair(_random);
        return _dh.ComputeSharedSecret(_peer, 0, _peer.Length, _secret, 0);
    }
}
