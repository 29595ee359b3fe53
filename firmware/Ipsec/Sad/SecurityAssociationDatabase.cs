using VpnAppliance.Core;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Crypto;

namespace VpnAppliance.Ipsec
{
    // The SAD (RFC 4301 §4.4.2) of the appliance: a fixed pool of CHILD SA pairs (Capacities.ChildSas), the
    // inbound SPI index, and the route-based tunnel interfaces (Capacities.Tunnels) that pick their outbound pair.
    //
    // Life of a pair, driven by the IKE engine (RFC 7296 §1.3, §2.8, §2.17):
    //   Reserve(tunnel)   -> slot Reserved, a fresh random inbound SPI (>= 256, unique) to put in the SA payload
    //   Install(handle)   -> keys from KEYMAT, slot Installed; the tunnel switches its outbound to this pair
    //                        (make-before-break: older pairs keep receiving until deleted)
    //   TakeRekeyRequest  -> soft lifetime reached on a pair (polled by IKE: start CREATE_CHILD_SA)
    //   TakeExpired       -> hard lifetime reached (IKE sends DELETE and calls Delete)
    //   Delete(handle)    -> keys zeroised, SPI released, slot Free; the tunnel falls back or goes down
    //
    // Handles are (generation << 16) | slot so a handle kept past Delete is refused rather than aliasing a new SA.

    /// <summary>The security association database: CHILD SA pairs, SPI lookup, tunnel interfaces.</summary>
    public sealed class SecurityAssociationDatabase
    {
        /// <summary>Not a handle.</summary>
        public const int NoHandle = -1;

        /// <summary>Largest number of slots (the handle keeps the slot in 16 bits).</summary>
        public const int MaxSlots = 0xFFFF;

        /// <summary>Random draws per SPI allocation before giving up (a collision is already unlikely).</summary>
        public const int SpiAttempts = 16;

        /// <summary>
        /// Default time a Reserved slot waits for Install before <see cref="Poll"/> reclaims it (an exchange that
        /// never completed must not hold a slot or an SPI for ever; DESIGN.md rule 4, half-open state is bounded).
        /// </summary>
        public const long DefaultReservationTimeoutMs = 60000;

        private const int GenerationLimit = 0x7FFF;

        private readonly ChildSaPair[] _pairs;
        private readonly SpiTable _spis;
        private readonly TunnelInterface[] _tunnels;
        private readonly ICryptoProvider _provider;
        private readonly IRandom _random;
        private readonly byte[] _spiBytes = new byte[4];
        private readonly EspOutbound _outbound;
        private readonly EspCounters _outboundTotals = new EspCounters();
        private readonly byte[] _scratch;
        private readonly IUdpPort _wan;
        private long _installSerial;
        private long _rekeyRequests;
        private long _expirations;
        private long _fullCount;
        private long _reservationsExpired;
        private long _reservationTimeoutMs = DefaultReservationTimeoutMs;

        /// <summary>
        /// Creates the pool: <paramref name="capacities"/>.ChildSas pairs with replay windows of
        /// <paramref name="replayWindow"/> packets (rounded up to 32; <see cref="ReplayWindow.DefaultSize"/> is
        /// 1,024) and <paramref name="capacities"/>.Tunnels tunnel interfaces. <paramref name="provider"/> keys the
        /// SAs, <paramref name="random"/> draws SPIs and CBC IVs. The tunnel interfaces send through
        /// <paramref name="wan"/> (the UDP 4500 socket; null: Transmit answers Closed) from one scratch buffer of
        /// PacketBufferSize + <see cref="EspPacket.MaxHeadroom"/> + <see cref="EspPacket.MaxTailroom"/> bytes.
        /// </summary>
        public SecurityAssociationDatabase(Capacities capacities, ICryptoProvider provider, IRandom random, int replayWindow,
            IUdpPort wan)
        {
            if (capacities == null || provider == null || random == null)
            {
                throw new System.ArgumentNullException("capacities");
            }

            if (capacities.ChildSas < 1 || capacities.ChildSas > MaxSlots || capacities.Tunnels < 1)
            {
                throw new System.ArgumentOutOfRangeException("capacities");
            }

            _provider = provider;
            _random = random;
            _wan = wan;
            _outbound = new EspOutbound(random);
            _scratch = new byte[capacities.PacketBufferSize + EspPacket.MaxHeadroom + EspPacket.MaxTailroom];
            _pairs = new ChildSaPair[capacities.ChildSas];
            for (int i = 0; i < _pairs.Length; i++)
            {
                _pairs[i] = new ChildSaPair(i, replayWindow);
                _pairs[i].Generation = 1;
            }

            _spis = new SpiTable(capacities.ChildSas);
            _tunnels = new TunnelInterface[capacities.Tunnels];
            for (int i = 0; i < _tunnels.Length; i++)
            {
                _tunnels[i] = new TunnelInterface(i, this);
            }
        }

        /// <summary>Number of pair slots.</summary>
        public int Capacity { get { return _pairs.Length; } }

        /// <summary>Slots not Free.</summary>
        public int InUse
        {
            get
            {
                int n = 0;
                for (int i = 0; i < _pairs.Length; i++)
                {
                    if (_pairs[i].State != ChildSaState.Free)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        /// <summary>Reserve calls refused because every slot was in use.</summary>
        public long FullCount { get { return _fullCount; } }

        /// <summary>Reserved slots reclaimed by <see cref="Poll"/> because Install never came.</summary>
        public long ReservationsExpired { get { return _reservationsExpired; } }

        /// <summary>How long a Reserved slot waits for Install (at least 1 ms).</summary>
        public long ReservationTimeoutMs
        {
            get { return _reservationTimeoutMs; }
            set { _reservationTimeoutMs = value < 1 ? 1 : value; }
        }

        /// <summary>Soft-lifetime events raised so far.</summary>
        public long RekeyRequests { get { return _rekeyRequests; } }

        /// <summary>Hard-lifetime events raised so far.</summary>
        public long Expirations { get { return _expirations; } }

        /// <summary>Outbound totals over every SA: packets and inner bytes sent, drops by reason.</summary>
        public EspCounters OutboundCounters { get { return _outboundTotals; } }

        internal EspOutbound OutboundProcessor { get { return _outbound; } }

        internal byte[] Scratch { get { return _scratch; } }

        internal IUdpPort Wan { get { return _wan; } }

        /// <summary>Number of tunnel interfaces.</summary>
        public int TunnelCount { get { return _tunnels.Length; } }

        /// <summary>Tunnel interface <paramref name="id"/> (0 .. TunnelCount - 1), or null.</summary>
        public TunnelInterface Tunnel(int id)
        {
            return id >= 0 && id < _tunnels.Length ? _tunnels[id] : null;
        }

        /// <summary>The pair a handle names, or null when the handle is stale or invalid.</summary>
        public ChildSaPair Get(int handle)
        {
            if (handle < 0)
            {
                return null;
            }

            int index = handle & 0xFFFF;
            if (index >= _pairs.Length)
            {
                return null;
            }

            ChildSaPair pair = _pairs[index];
            return pair.State != ChildSaState.Free && pair.Generation == (handle >> 16) ? pair : null;
        }

        /// <summary>The handle of a live slot.</summary>
        public static int HandleOf(ChildSaPair pair)
        {
            return (pair.Generation << 16) | pair.Index;
        }

        /// <summary>
        /// The installed pair whose inbound SA has <paramref name="spi"/>, or null (unknown SPI, or only Reserved).
        /// Allocation-free bisection; called per packet.
        /// </summary>
        public ChildSaPair FindInbound(uint spi)
        {
            int slot = _spis.Find(spi);
            if (slot < 0)
            {
                return null;
            }

            ChildSaPair pair = _pairs[slot];
            return pair.State == ChildSaState.Installed ? pair : null;
        }

        /// <summary>
        /// Allocates a slot for <paramref name="tunnelId"/> and a fresh inbound SPI: random (from the DRBG), at least
        /// 256 (RFC 4303 §2.1: 1-255 reserved, 0 local), unique among the SAD's inbound SPIs. The slot is reclaimed
        /// by <see cref="Poll"/> if not installed within <see cref="ReservationTimeoutMs"/> of <paramref name="nowMs"/>.
        /// </summary>
        public SadResult Reserve(int tunnelId, long nowMs, out int handle, out uint spi)
        {
            handle = NoHandle;
            spi = 0;
            if (tunnelId < 0 || tunnelId >= _tunnels.Length)
            {
                return SadResult.NoSuchTunnel;
            }

            ChildSaPair free = null;
            for (int i = 0; i < _pairs.Length; i++)
            {
                if (_pairs[i].State == ChildSaState.Free)
                {
                    free = _pairs[i];
                    break;
                }
            }

            if (free == null)
            {
                _fullCount++;
                return SadResult.Full;
            }

            uint candidate = 0;
            bool found = false;
            for (int attempt = 0; attempt < SpiAttempts && !found; attempt++)
            {
                if (_random.NextBytes(_spiBytes, 0, 4) != CryptoResult.Ok)
                {
                    return SadResult.SpiUnavailable;
                }

                candidate = ((uint)_spiBytes[0] << 24) | ((uint)_spiBytes[1] << 16) | ((uint)_spiBytes[2] << 8) | _spiBytes[3];
                found = candidate >= EspPacket.MinimumSpi && _spis.Find(candidate) < 0;
            }

            if (!found || !_spis.Add(candidate, free.Index))
            {
                return SadResult.SpiUnavailable;
            }

            free.State = ChildSaState.Reserved;
            free.ReservedAtMs = nowMs;
            free.TunnelId = tunnelId;
            free.Inbound.Spi = candidate;
            free.RekeyReported = false;
            free.ExpiryReported = false;
            handle = HandleOf(free);
            spi = candidate;
            return SadResult.Ok;
        }

        /// <summary>
        /// Keys a Reserved pair from KEYMAT and installs it (RFC 7296 §2.17: SK_ei | SK_ai | SK_er | SK_ar, i.e. the
        /// initiator-to-responder encryption key, then its integrity key, then the same for responder-to-initiator;
        /// for GCM each encryption key is followed by its 4-byte salt, RFC 4106 §8.1, and there is no integrity key).
        /// The tunnel then sends on this pair. On failure the slot stays Reserved and holds no key.
        /// </summary>
        public SadResult Install(int handle, ChildSaParameters p, long nowMs)
        {
            ChildSaPair pair = Get(handle);
            if (pair == null)
            {
                return SadResult.InvalidHandle;
            }

            if (pair.State != ChildSaState.Reserved)
            {
                return SadResult.InvalidState;
            }

            if (p == null || !EspTransform.IsSupported(p.Encryption, p.KeyBits, p.Integrity))
            {
                return SadResult.NotSupported;
            }

            int need = EspTransform.KeyMaterialLength(p.Encryption, p.KeyBits, p.Integrity);
            if (p.KeyMaterial == null || p.KeyMaterialOffset < 0 || p.KeyMaterialLength < need ||
                p.KeyMaterialOffset > p.KeyMaterial.Length - need || p.OutboundSpi < EspPacket.MinimumSpi ||
                p.PeerPort <= 0 || p.PeerPort > 65535)
            {
                return SadResult.InvalidArgument;
            }

            int encryptionLength = EspTransform.EncryptionKeyLength(p.Encryption, p.KeyBits);
            int half = need / 2;
            int initiatorToResponder = p.KeyMaterialOffset;
            int responderToInitiator = p.KeyMaterialOffset + half;
            int outOffset = p.Initiator ? initiatorToResponder : responderToInitiator;
            int inOffset = p.Initiator ? responderToInitiator : initiatorToResponder;

            uint inboundSpi = pair.Inbound.Spi;
            CryptoResult r = pair.Inbound.Configure(_provider, p.Encryption, p.KeyBits, p.Integrity, p.ExtendedSequenceNumbers,
                p.KeyMaterial, inOffset, inOffset + encryptionLength);
            pair.Inbound.Spi = inboundSpi;
            if (r == CryptoResult.Ok)
            {
                r = pair.Outbound.Configure(_provider, p.Encryption, p.KeyBits, p.Integrity, p.ExtendedSequenceNumbers,
                    p.KeyMaterial, outOffset, outOffset + encryptionLength);
            }

            if (r != CryptoResult.Ok)
            {
                pair.Inbound.Clear();
                pair.Outbound.Clear();
                pair.Inbound.Spi = inboundSpi;
                return r == CryptoResult.NotSupported ? SadResult.NotSupported : SadResult.InvalidArgument;
            }

            pair.Inbound.Window.Resize(p.ReplayWindow);
            pair.Outbound.Spi = p.OutboundSpi;
            pair.Inbound.Lifetime.CopyFrom(p.Lifetime);
            pair.Outbound.Lifetime.CopyFrom(p.Lifetime);
            pair.Inbound.InstalledAtMs = nowMs;
            pair.Outbound.InstalledAtMs = nowMs;
            pair.PeerAddress = p.PeerAddress;
            pair.PeerPort = p.PeerPort;
            pair.InstallSerial = ++_installSerial;
            pair.State = ChildSaState.Installed;
            TunnelInterface tunnel = _tunnels[pair.TunnelId];
            pair.OutboundDeferred = p.DeferOutbound && tunnel.Up;
            if (!pair.OutboundDeferred)
            {
                tunnel.UseOutbound(pair);
            }

            return SadResult.Ok;
        }

        /// <summary>
        /// Deletes a pair (RFC 7296 §1.4.1), Reserved or Installed: zeroises its keys, releases its inbound SPI and
        /// the slot; a tunnel that was sending on it falls back to its newest other usable pair, or goes down.
        /// </summary>
        public SadResult Delete(int handle)
        {
            ChildSaPair pair = Get(handle);
            if (pair == null)
            {
                return SadResult.InvalidHandle;
            }

            int tunnelId = pair.TunnelId;
            _spis.Remove(pair.Inbound.Spi);
            pair.Inbound.Clear();
            pair.Outbound.Clear();
            pair.State = ChildSaState.Free;
            pair.PeerAddress = 0;
            pair.PeerPort = 0;
            pair.InstallSerial = 0;
            pair.ReservedAtMs = 0;
            pair.RekeyReported = false;
            pair.ExpiryReported = false;
            pair.OutboundDeferred = false;
            pair.Generation = pair.Generation >= GenerationLimit ? 1 : pair.Generation + 1;
            _tunnels[tunnelId].Refresh();
            return SadResult.Ok;
        }

        /// <summary>Updates the peer's endpoint of a pair (NAT mapping change seen by IKE, RFC 7296 §2.23).</summary>
        public SadResult SetPeer(int handle, uint address, int port)
        {
            ChildSaPair pair = Get(handle);
            if (pair == null)
            {
                return SadResult.InvalidHandle;
            }

            if (port <= 0 || port > 65535)
            {
                return SadResult.InvalidArgument;
            }

            pair.PeerAddress = address;
            pair.PeerPort = port;
            return SadResult.Ok;
        }

        /// <summary>
        /// Re-evaluates the time lifetimes of every installed pair at <paramref name="nowMs"/> (a pair that saw no
        /// packet still expires), reclaims Reserved slots whose Install never came, updates the tunnels, and
        /// returns the next nowMs at which a time lifetime or a reservation fires (<see cref="long.MaxValue"/> when none).
        /// </summary>
        public long Poll(long nowMs)
        {
            long next = long.MaxValue;
            for (int i = 0; i < _pairs.Length; i++)
            {
                ChildSaPair pair = _pairs[i];
                if (pair.State == ChildSaState.Reserved)
                {
                    long due = pair.ReservedAtMs + _reservationTimeoutMs;
                    if (nowMs >= due)
                    {
                        _reservationsExpired++;
                        Delete(HandleOf(pair));
                    }
                    else if (due < next)
                    {
                        next = due;
                    }

                    continue;
                }

                if (pair.State != ChildSaState.Installed)
                {
                    continue;
                }

                bool wasHard = pair.HardExpired;
                pair.Inbound.UpdateLifetime(nowMs);
                pair.Outbound.UpdateLifetime(nowMs);
                if (!wasHard && pair.HardExpired)
                {
                    _tunnels[pair.TunnelId].Refresh();
                }

                long d = pair.Inbound.NextDeadline();
                if (d < next)
                {
                    next = d;
                }

                d = pair.Outbound.NextDeadline();
                if (d < next)
                {
                    next = d;
                }
            }

            return next;
        }

        /// <summary>
        /// The handle of an installed pair that reached a soft lifetime and was not reported yet (RFC 4301
        /// §4.4.2.1: time to set up a replacement), or <see cref="NoHandle"/>. Each pair is reported once.
        /// </summary>
        public int TakeRekeyRequest()
        {
            for (int i = 0; i < _pairs.Length; i++)
            {
                ChildSaPair pair = _pairs[i];
                if (pair.State == ChildSaState.Installed && pair.SoftExpired && !pair.RekeyReported)
                {
                    pair.RekeyReported = true;
                    _rekeyRequests++;
                    return HandleOf(pair);
                }
            }

            return NoHandle;
        }

        /// <summary>
        /// The handle of an installed pair past its hard lifetime, not reported yet (IKE deletes it, RFC 4301
        /// §4.4.2.1), or <see cref="NoHandle"/>. Each pair is reported once.
        /// </summary>
        public int TakeExpired()
        {
            for (int i = 0; i < _pairs.Length; i++)
            {
                ChildSaPair pair = _pairs[i];
                if (pair.State == ChildSaState.Installed && pair.HardExpired && !pair.ExpiryReported)
                {
                    pair.ExpiryReported = true;
                    _expirations++;
                    return HandleOf(pair);
                }
            }

            return NoHandle;
        }

        /// <summary>The newest usable pair of a tunnel other than <paramref name="except"/>, or null.</summary>
        internal ChildSaPair NewestUsable(int tunnelId, ChildSaPair except)
        {
            ChildSaPair best = null;
            for (int i = 0; i < _pairs.Length; i++)
            {
                ChildSaPair pair = _pairs[i];
                if (pair != except && pair.TunnelId == tunnelId && pair.IsUsable &&
                    (best == null || pair.InstallSerial > best.InstallSerial))
                {
                    best = pair;
                }
            }

            return best;
        }

        /// <summary>
        /// The first authenticated packet arrived on a pair installed with deferred outbound: the peer has it, so the
        /// tunnel sends on it from now on (RFC 7296 §2.8).
        /// </summary>
        internal void OnInboundSeen(ChildSaPair pair)
        {
            if (!pair.OutboundDeferred) return;
            pair.OutboundDeferred = false;
            if (pair.IsUsable) _tunnels[pair.TunnelId].UseOutbound(pair);
        }

        /// <summary>Called by a tunnel after its outbound SA refused a packet for lifetime reasons.</summary>
        internal void OnOutboundExpired(int tunnelId)
        {
            _tunnels[tunnelId].Refresh();
        }
    }
}
