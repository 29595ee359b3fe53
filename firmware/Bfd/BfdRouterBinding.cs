using VpnAppliance.Core;
using VpnAppliance.Net;

namespace VpnAppliance.Bfd
{
    /// <summary>
    /// Joins the BFD engine and the router (what the appliance wires; firmware/Bfd/README.md):
    ///
    ///   router --ILocalUdp.OnUdp (UDP to an own address, port 3784)--> BfdEngine.OnPacket (with interface and TTL)
    ///   BfdEngine --IBfdOutput.Send--> Router.SendUdp(interface, ..., dst port 3784, TTL 255): out of the session's
    ///                                  interface itself, no FIB lookup (single hop, RFC 5881 §4)
    ///
    /// Other UDP ports are left to the router (port unreachable). A packet for one of our own addresses is not
    /// sent (it would re-enter the engine from its own output; a BFD session with ourselves means nothing) and is
    /// counted in <see cref="LoopbackDrops"/>. Call <see cref="Poll"/> from the appliance module's Poll.
    /// </summary>
    public sealed class BfdRouterBinding : ILocalUdp, IBfdOutput
    {
        private readonly Router _router;
        private readonly BfdEngine _engine;
        private long _loopbackDrops;
        private long _sendDrops;

        /// <summary>
        /// Builds the engine with <paramref name="capacity"/> sessions (<see cref="BfdEngine.SessionsFor"/>) and
        /// <paramref name="seed"/> (entropy) over <paramref name="router"/>; the caller then does
        /// <c>router.SetLocalUdp(binding)</c>.
        /// </summary>
        public BfdRouterBinding(Router router, int capacity, uint seed)
        {
            if (router == null)
            {
                throw new System.ArgumentNullException("router");
            }

            _router = router;
            _engine = new BfdEngine(capacity, this, seed);
        }

        /// <summary>Describes this object and its engine for the memory budget.</summary>
        public static void Account(MemoryBudget budget, int capacity)
        {
            budget.AddObject(4, 4 * 8);
            BfdEngine.Account(budget, capacity);
        }

        /// <summary>The engine (sessions, configuration, state changes, counters).</summary>
        public BfdEngine Engine { get { return _engine; } }

        /// <summary>"bfd": the appliance module name.</summary>
        public string Name { get { return "bfd"; } }

        /// <summary>Packets to one of our own addresses that were not sent.</summary>
        public long LoopbackDrops { get { return _loopbackDrops; } }

        /// <summary>Packets the router dropped or refused (its drop counters say why).</summary>
        public long SendDrops { get { return _sendDrops; } }

        /// <summary>Runs the engine's timers; returns its next deadline (<see cref="BfdEngine.Never"/> when idle).</summary>
        public long Poll(long nowMs)
        {
            return _engine.Poll(nowMs);
        }

        /// <summary>ILocalUdp: port 3784 goes to the engine (consumed even when discarded: no ICMP about BFD); others are not ours.</summary>
        public bool OnUdp(int interfaceId, uint src, uint dst, int ttl, int srcPort, int dstPort, byte[] buf, int off, int len, long nowMs)
        {
            if (dstPort != BfdEngine.ControlPort)
            {
                return false;
            }

            _engine.OnPacket(interfaceId, src, dst, ttl, buf, off, len, nowMs);
            return true;
        }

        /// <summary>IBfdOutput: UDP to port 3784 with TTL 255 out of the session's interface.</summary>
        public bool Send(int interfaceId, uint source, uint destination, int sourcePort, byte[] buf, int off, int len, long nowMs)
        {
            if (_router.IsLocalAddress(destination))
            {
                _loopbackDrops++;
                return false;
            }

            NetResult r = _router.SendUdp(interfaceId, source, destination, sourcePort, BfdEngine.ControlPort, (byte)BfdEngine.RequiredTtl, buf, off, len, nowMs);
            if (r == NetResult.Sent || r == NetResult.Queued)
            {
                return true;
            }

            _sendDrops++;
            return false;
        }
    }
}
