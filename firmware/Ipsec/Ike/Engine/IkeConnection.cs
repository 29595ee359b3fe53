using System.Collections;
using VpnAppliance.Config;

namespace VpnAppliance.Ipsec.Ike
{
    /// <summary>
    /// One configured IKE connection (a <c>vpn peer</c> with its tunnel interface): what to negotiate, how to
    /// authenticate, and its runtime state (which IKE SA carries it, retry timing, last error). Built from the
    /// config by <see cref="IkeConnectionBuilder"/> when a configuration is applied (allocation allowed there).
    /// </summary>
    public sealed class IkeConnection
    {
        /// <summary>Peer name from the config (<c>vpn peer NAME</c>).</summary>
        public string Name;
        /// <summary>SAD tunnel interface id (0-based) carrying this connection's CHILD SAs.</summary>
        public int TunnelId;
        /// <summary>Tunnel interface name (<c>vti0</c>).</summary>
        public string TunnelName;
        /// <summary>The gateway's address (host order).</summary>
        public uint PeerAddress;
        /// <summary>Our WAN address (host order), used for the default identity.</summary>
        public uint LocalAddress;
        /// <summary>Pre-shared key octets (RFC 7296 §2.15).</summary>
        public byte[] Psk;
        /// <summary>Our ID payload: type (RFC 7296 §3.5).</summary>
        public byte LocalIdType;
        /// <summary>Our ID payload: identification data.</summary>
        public byte[] LocalIdData;
        /// <summary>Expected peer ID type; 0 = accept any identity the PSK authenticates.</summary>
        public byte RemoteIdType;
        /// <summary>Expected peer identification data (when <see cref="RemoteIdType"/> is set).</summary>
        public byte[] RemoteIdData;
        /// <summary>Name of the ike-group (for the hints in log lines).</summary>
        public string IkeGroupName;
        /// <summary>Name of the esp-group (for the hints in log lines).</summary>
        public string EspGroupName;
        /// <summary>IKE proposals in preference order (<see cref="Proposal"/>).</summary>
        public ArrayList IkeProposals = new ArrayList();
        /// <summary>ESP proposals in preference order (<see cref="Proposal"/>).</summary>
        public ArrayList EspProposals = new ArrayList();
        /// <summary>CHILD SA rekeys carry a KE payload (PFS, RFC 7296 §1.3.1) with the first group of the first ESP proposal.</summary>
        public bool Pfs;
        /// <summary>Weak DH groups (2, 5) may be negotiated (config warned about them).</summary>
        public bool AllowWeak;
        /// <summary>We start the IKE SA (connection-type initiate); responders only answer.</summary>
        public bool Initiate;
        /// <summary>IKE SA lifetime in ms (rekeyed before, §2.8).</summary>
        public long IkeLifetimeMs;
        /// <summary>Rekey margin of IKE SAs in ms.</summary>
        public long IkeRekeyMarginMs;
        /// <summary>CHILD SA hard lifetime in ms.</summary>
        public long ChildLifetimeMs;
        /// <summary>Rekey margin of CHILD SAs in ms.</summary>
        public long ChildRekeyMarginMs;
        /// <summary>Random extra margin, percent of the margin (strongSwan rekeyfuzz).</summary>
        public int RekeyFuzzPercent;
        /// <summary>DPD: a liveness check is sent after this long without an inbound IKE or ESP packet; 0 = off.</summary>
        public long DpdIntervalMs;
        /// <summary>DPD: the peer is dead when a request stays unanswered this long.</summary>
        public long DpdTimeoutMs;
        /// <summary>What to do when the peer is dead.</summary>
        public DpdAction DpdAction = DpdAction.Restart;
        /// <summary>Anti-replay window of the CHILD SAs (esp-group replay-window; 0 = off).</summary>
        public int ReplayWindow = VpnAppliance.Ipsec.ReplayWindow.DefaultSize;
        /// <summary>Soft/hard byte lifetime of each CHILD SA direction (0 = none).</summary>
        public long ChildLifetimeBytes;
        /// <summary>Transmissions of a request before the peer counts as dead (0: the engine's setting).</summary>
        public int RetransmitTries;
        /// <summary>First retransmission timeout in ms, doubling per try (0: the engine's setting).</summary>
        public int RetransmitTimeoutMs;
        /// <summary>Our traffic selectors as [start, end] address pairs (host order); default 0.0.0.0/0.</summary>
        public uint[] LocalTs = new uint[] { 0, 0xFFFFFFFF };
        /// <summary>The peer's traffic selectors as [start, end] pairs.</summary>
        public uint[] RemoteTs = new uint[] { 0, 0xFFFFFFFF };

        // ---- runtime ----
        /// <summary>Index of the IKE SA carrying the connection (being set up or established), -1 when none.</summary>
        public int Sa = -1;
        /// <summary>When a down initiator connection next tries (ms), or long.MaxValue.</summary>
        public long RetryAtMs = long.MaxValue;
        /// <summary>Current retry delay (doubles after failures).</summary>
        public long RetryDelayMs;
        /// <summary>IKE SAs established over the connection's life.</summary>
        public long Establishments;
        /// <summary>Failed attempts (errors, timeouts).</summary>
        public long Failures;
        /// <summary>Last error line (null when none) for <c>show ike sa</c>.</summary>
        public string LastError;
        /// <summary>Negotiated local traffic selector (first range) of the newest CHILD SA.</summary>
        public uint TsLocalStart;
        /// <summary>End of <see cref="TsLocalStart"/>'s range.</summary>
        public uint TsLocalEnd;
        /// <summary>Negotiated remote traffic selector (first range) of the newest CHILD SA.</summary>
        public uint TsRemoteStart;
        /// <summary>End of <see cref="TsRemoteStart"/>'s range.</summary>
        public uint TsRemoteEnd;
        /// <summary>An operator asked for the CHILD SA to be rekeyed (console <c>rekey child</c>).</summary>
        public bool RekeyChildRequested;
        /// <summary>An operator asked for the IKE SA to be rekeyed (console <c>rekey ike</c>).</summary>
        public bool RekeyIkeRequested;

        /// <summary>True when <paramref name="address"/> lies in one of the [start,end] pairs of <paramref name="ts"/>.</summary>
        public static bool Contains(uint[] ts, uint start, uint end)
        {
            for (int i = 0; i + 1 < ts.Length; i += 2)
            {
                if (start >= ts[i] && end <= ts[i + 1]) return true;
            }
            return false;
        }
    }
}
