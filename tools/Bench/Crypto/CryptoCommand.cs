using System;
using System.Diagnostics;
using System.Linq;
using BenchmarkDotNet.Running;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Host;
using VpnAppliance.Hal.Crypto.Managed;

namespace VpnAppliance.Bench.Crypto;

/// <summary>
/// `Bench crypto`: without `--quick`, the BenchmarkDotNet suites in <see cref="CryptoPacketBenchmarks"/> and
/// <see cref="DiffieHellmanBenchmarks"/>. With `--quick` (under 60 s), Stopwatch loops printing
/// `crypto &lt;alg&gt; impl=&lt;host|managed&gt; mbps=&lt;Mbit/s of 1,400-byte packets&gt;` and
/// `dh &lt;group&gt; impl=&lt;host|managed&gt; ops_per_s=&lt;GenerateKeyPair + ComputeSharedSecret per second&gt;`.
/// </summary>
public sealed class CryptoCommand : IBenchCommand
{
    private const double SymmetricSeconds = 1.5;
    private const double DhSeconds = 1.2;

    public string Name => "crypto";

    public string Description => "ESP crypto: AES-CBC+HMAC-SHA256 and AES-GCM Mbit/s on 1,400-byte packets, DH ops/s per group; host vs managed";

    public int Run(string[] args)
    {
        if (args.Contains("--quick"))
        {
            return Quick();
        }

        // Both suites through one switcher, so a --filter that selects only one of them is fine; without a
        // filter, everything runs (the switcher would otherwise ask interactively).
        string[] rest = args.Contains("--filter") ? args : args.Concat(new[] { "--filter", "*" }).ToArray();
        BenchmarkSwitcher.FromTypes(new[] { typeof(CryptoPacketBenchmarks), typeof(DiffieHellmanBenchmarks) }).Run(rest);
        return 0;
    }

    private static int Quick()
    {
        foreach (string impl in new[] { "host", "managed" })
        {
            var workload = new CryptoWorkload(CryptoWorkload.Provider(impl));
            Console.WriteLine($"crypto aes256cbc-hmacsha256-128 impl={impl} mbps={PacketRate(workload.CbcHmac) * CryptoWorkload.PacketLength * 8 / 1e6:F0}");
            Console.WriteLine($"crypto aes256gcm16 impl={impl} mbps={PacketRate(workload.Gcm) * CryptoWorkload.PacketLength * 8 / 1e6:F0}");
        }

        IRandom random = new ManagedCryptoProvider().CreateRandom(new HostEntropySource());
        foreach (int group in new[] { DhGroup.Modp1024, DhGroup.Modp1536, DhGroup.Modp2048, DhGroup.Modp2048S256, DhGroup.Ecp256, DhGroup.Ecp384, DhGroup.Curve25519 })
        {
            IDiffieHellman peer = new HostCryptoProvider().CreateDiffieHellman(group, true);
            peer.GenerateKeyPair(random);
            byte[] peerPublic = new byte[peer.PublicValueLength];
            peer.GetPublicValue(peerPublic, 0);
            foreach (string impl in new[] { "host", "managed" })
            {
                IDiffieHellman dh = CryptoWorkload.Provider(impl).CreateDiffieHellman(group, true);
                byte[] secret = new byte[dh.SharedSecretLength];
                double rate = Rate(() =>
                {
                    dh.GenerateKeyPair(random);
                    dh.ComputeSharedSecret(peerPublic, 0, peerPublic.Length, secret, 0);
                }, DhSeconds, 1);
                Console.WriteLine($"dh {group} impl={impl} ops_per_s={rate:F1}");
            }
        }

        return 0;
    }

    private static double PacketRate(Action packet) => Rate(packet, SymmetricSeconds, 64);

    /// <summary>Operations per second: warm up, then run batches until the time box is used; at least one batch.</summary>
    private static double Rate(Action operation, double seconds, int batch)
    {
        for (int i = 0; i < Math.Min(batch, 4); i++)
        {
            operation();
        }

        long count = 0;
        var sw = Stopwatch.StartNew();
        do
        {
            for (int i = 0; i < batch; i++)
            {
                operation();
            }

            count += batch;
        }
        while (sw.Elapsed.TotalSeconds < seconds);
        return count / sw.Elapsed.TotalSeconds;
    }
}
