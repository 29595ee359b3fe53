using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// Which Diffie-Hellman groups a crypto provider can make, probed once per (provider, group) by creating and
    /// clearing one exchange (the only allocation; later calls allocate nothing). A few providers are remembered;
    /// the appliance has one. Weak groups (2, 5; RFC 8247 §2.4) count only when allowWeak is true.
    /// </summary>
    internal static class DhGroupSupport
    {
        const int Slots = 4;
        const int MaxGroup = 63;
        static readonly object s_lock = new object();
        static readonly ICryptoProvider[] s_providers = new ICryptoProvider[Slots];
        static readonly ulong[] s_probed = new ulong[Slots];
        static readonly ulong[] s_supported = new ulong[Slots];
        static int s_next;

        /// <summary>True when <paramref name="provider"/> implements <paramref name="group"/> (and it is allowed).</summary>
        internal static bool Supports(ICryptoProvider provider, int group, bool allowWeak)
        {
            if (provider == null || group <= 0 || group > MaxGroup) return false;
            if (VpnAppliance.Config.DhGroup.IsWeak(group) && !allowWeak) return false;
            ulong bit = 1UL << group;
            lock (s_lock)
            {
                int slot = -1;
                for (int i = 0; i < Slots; i++) if (s_providers[i] == provider) { slot = i; break; }
                if (slot < 0)
                {
                    slot = s_next;
                    s_next = (s_next + 1) % Slots;
                    s_providers[slot] = provider;
                    s_probed[slot] = 0;
                    s_supported[slot] = 0;
                }
                if ((s_probed[slot] & bit) == 0)
                {
                    IDiffieHellman dh = provider.CreateDiffieHellman(group, true);
                    if (dh != null)
                    {
                        s_supported[slot] |= bit;
                        dh.Clear();
                    }
                    s_probed[slot] |= bit;
                }
                return (s_supported[slot] & bit) != 0;
            }
        }
    }
}
