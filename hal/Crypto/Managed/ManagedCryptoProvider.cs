using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;
using VpnAppliance.Hal.Crypto.Managed.Aes;
using VpnAppliance.Hal.Crypto.Managed.Curve25519;
using VpnAppliance.Hal.Crypto.Managed.Ecp;
using VpnAppliance.Hal.Crypto.Managed.Hashing;
using VpnAppliance.Hal.Crypto.Managed.Modp;
using VpnAppliance.Hal.Crypto.Managed.Random;

namespace VpnAppliance.Hal.Crypto.Managed
{
    /// <summary>
    /// Everything in managed code (nanoFramework subset): runs on any board and on the host, where it is
    /// cross-checked against the host provider. The device provider replaces AES and HMAC-SHA256/512
    /// with the runtime's native ones and keeps the rest from here.
    /// </summary>
    public class ManagedCryptoProvider : ICryptoProvider
    {
        /// <summary>"managed".</summary>
        public virtual string Name { get { return "managed"; } }

        /// <summary>The table-based managed AES (see AesEngine for its timing caveat).</summary>
        public virtual IBlockCipher CreateAes()
        {
            return new AesEngine();
        }

        /// <summary>CBC over <see cref="CreateAes"/>.</summary>
        public virtual ICbcCipher CreateAesCbc()
        {
            return new CbcMode(CreateAes());
        }

        /// <summary>GCM over <see cref="CreateAes"/> with the managed GHASH.</summary>
        public virtual IAeadCipher CreateAesGcm()
        {
            return new GcmMode(CreateAes());
        }

        /// <summary>Managed SHA-1/256/384/512.</summary>
        public virtual IHash CreateHash(HashAlgorithm algorithm)
        {
            switch (algorithm)
            {
                case HashAlgorithm.Sha1: return new Sha1();
                case HashAlgorithm.Sha256: return new Sha256();
                case HashAlgorithm.Sha384: return new Sha512(true);
                case HashAlgorithm.Sha512: return new Sha512(false);
                default: return null;
            }
        }

        /// <summary>Managed HMAC over <see cref="CreateHash"/>.</summary>
        public virtual IMac CreateHmac(HashAlgorithm algorithm)
        {
            IHash hash = CreateHash(algorithm);
            return hash == null ? null : new Hmac(hash);
        }

        /// <summary>
        /// The DRBG the IKE engine draws nonces, SPIs and DH private values from: HMAC_DRBG over managed
        /// HMAC-SHA-256 (SP 800-90A §10.1.2), seeded and reseeded from <paramref name="entropy"/>.
        /// </summary>
        public IRandom CreateRandom(IEntropySource entropy)
        {
            return new HmacDrbg(new Hmac(new Sha256()), entropy);
        }

        /// <summary>Managed MODP (Montgomery), ECP (complete formulas) and X25519 groups.</summary>
        public virtual IDiffieHellman CreateDiffieHellman(int group, bool allowWeak)
        {
            if (DhGroup.IsWeak(group) && !allowWeak)
            {
                return null;
            }

            ModpGroup modp = ModpGroup.Get(group);
            if (modp != null)
            {
                return new ModpDiffieHellman(modp);
            }

            EcpCurve curve = EcpCurve.Get(group);
            if (curve != null)
            {
                return new EcpDiffieHellman(curve);
            }

            if (group == DhGroup.Curve25519)
            {
                return new X25519DiffieHellman();
            }

            return null;
        }
    }
}
