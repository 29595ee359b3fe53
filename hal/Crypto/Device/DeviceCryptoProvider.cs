using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed;
using VpnAppliance.Hal.Crypto.Managed.Aes;
using VpnAppliance.Hal.Crypto.Managed.Hashing;

namespace VpnAppliance.Hal.Crypto.Device
{
    /// <summary>
    /// The boards' crypto (DESIGN.md §3): nanoFramework.System.Security.Cryptography provides AES (ECB and CBC,
    /// no padding) and HMAC-SHA256/512 natively; everything else (SHA-1/256/384/512, HMAC-SHA1/384, GHASH and
    /// GCM on top of the native AES block, MODP and ECP Diffie-Hellman, HMAC_DRBG) comes from the managed provider.
    /// </summary>
    public sealed class DeviceCryptoProvider : ManagedCryptoProvider
    {
        /// <summary>"device".</summary>
        public override string Name { get { return "device"; } }

        /// <summary>Native AES-ECB as the block primitive.</summary>
        public override IBlockCipher CreateAes()
        {
            return new DeviceAes();
        }

        /// <summary>Native AES-CBC.</summary>
        public override ICbcCipher CreateAesCbc()
        {
            return new DeviceAesCbc();
        }

        /// <summary>Managed GHASH/GCM over the native AES block.</summary>
        public override IAeadCipher CreateAesGcm()
        {
            return new GcmMode(new DeviceAes());
        }

        /// <summary>Native HMAC-SHA256/512; managed HMAC-SHA1/384.</summary>
        public override IMac CreateHmac(HashAlgorithm algorithm)
        {
            if (algorithm == HashAlgorithm.Sha256)
            {
                return new DeviceHmac(false, new Hmac(new Sha256()));
            }

            if (algorithm == HashAlgorithm.Sha512)
            {
                return new DeviceHmac(true, new Hmac(new Sha512(false)));
            }

            return base.CreateHmac(algorithm);
        }
    }
}
