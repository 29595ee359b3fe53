using System.Security.Cryptography;

namespace VpnAppliance.Hal.Crypto.Host;

/// <summary>
/// Key set-up shared by the host AES modes: checks the range and the AES key length (FIPS 197: 128, 192
/// or 256 bits) and makes a System.Security.Cryptography.Aes for the mode without padding, wiping the
/// temporary key copy.
/// </summary>
internal static class HostAesKey
{
    /// <summary>The configured Aes, or null when the key range or length is invalid.</summary>
    public static System.Security.Cryptography.Aes Create(byte[] key, int offset, int count, CipherMode mode)
    {
        if (key == null || offset < 0 || count < 0 || offset > key.Length - count || (count != 16 && count != 24 && count != 32))
        {
            return null;
        }

        var aes = System.Security.Cryptography.Aes.Create();
        aes.Mode = mode;
        aes.Padding = PaddingMode.None;
        byte[] copy = new byte[count];
        System.Array.Copy(key, offset, copy, 0, count);
        aes.Key = copy;
        System.Array.Clear(copy);
        return aes;
    }
}
