using VpnAppliance.Bgp.Wire;

namespace VpnAppliance.Bgp.Session
{
    /// <summary>
    /// One TCP connection of a peer's session with its own OPEN exchange (RFC 4271 §6.8: two may exist while a
    /// collision is resolved). Holds the stream reassembler, the peer's OPEN and the per-connection Hold timer.
    /// Preallocated in a pool; Reset() returns it there.
    /// </summary>
    public sealed class BgpConnection
    {
        /// <summary>Connection phases below the session's state.</summary>
        public const int Free = 0;
        /// <summary>Our TCP open is in progress.</summary>
        public const int Connecting = 1;
        /// <summary>OPEN sent, none received.</summary>
        public const int OpenSent = 2;
        /// <summary>OPEN received and accepted, KEEPALIVE sent.</summary>
        public const int OpenConfirm = 3;
        /// <summary>KEEPALIVE received in OpenConfirm.</summary>
        public const int Established = 4;

        /// <summary>Transport handle.</summary>
        public int Handle = -1;
        /// <summary>Phase (constants above).</summary>
        public int Phase;
        /// <summary>True when we opened the TCP connection (RFC 4271 §6.8 picks which one survives by this).</summary>
        public bool Outgoing;
        /// <summary>Hold timer deadline (long.MaxValue = not running).</summary>
        public long HoldDeadline = long.MaxValue;
        /// <summary>The peer's OPEN once received.</summary>
        public readonly OpenMessage PeerOpen = new OpenMessage();
        /// <summary>Cuts the byte stream into messages.</summary>
        public readonly BgpMessageReassembler Reassembler;

        /// <summary>Creates a free connection with a reassembler of <paramref name="bufferBytes"/>.</summary>
        public BgpConnection(int bufferBytes)
        {
            Reassembler = new BgpMessageReassembler(bufferBytes);
        }

        /// <summary>Bytes of the reassembler buffer each connection gets: one maximal message (the session writes what fits, processes, and writes the rest).</summary>
        public const int BufferBytes = BgpMessageHeader.MaxMessageLength;

        /// <summary>Back to the pool.</summary>
        public void Reset()
        {
            Handle = -1;
            Phase = Free;
            Outgoing = false;
            HoldDeadline = long.MaxValue;
            Reassembler.Reset();
        }

        /// <summary>Memory the constructor allocates (OpenMessage arrays approximated by their fields).</summary>
        public static void Account(VpnAppliance.Core.MemoryBudget budget)
        {
            budget.AddObject(6, 8 * 4);
            budget.AddObject(30, 200);
            budget.AddValueArray(4, OpenMessage.FamilyCapacity * 5 + OpenMessage.UnknownCapacity * 3);
            budget.AddValueArray(1, OpenMessage.UnknownBytesCapacity);
            budget.AddObject(8, 40);
            budget.AddValueArray(1, BufferBytes);
            budget.AddObject(6, 32);
            budget.AddValueArray(1, ErrorNotification.ScratchLength);
        }
    }
}
