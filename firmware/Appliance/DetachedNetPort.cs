using VpnAppliance.Core;
using VpnAppliance.Hal;

namespace VpnAppliance.Firmware
{
    /// <summary>
    /// The LAN port of a board image that has no LAN driver (yet): link down, nothing received, every send
    /// refused with <see cref="PortResult.LinkDown"/>. The router always has a port to talk to, so the
    /// appliance's pools are the same whether or not the board supplies one (the memory budget stays exact).
    /// </summary>
    public sealed class DetachedNetPort : INetPort
    {
        /// <summary>Describes this object for the memory budget (no fields).</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(0, 0);
        }

        /// <summary>Writes 00:00:00:00:00:00.</summary>
        public void GetMacAddress(byte[] destination, int offset)
        {
            for (int i = 0; i < 6; i++)
            {
                destination[offset + i] = 0;
            }
        }

        /// <summary>Always false.</summary>
        public bool LinkUp { get { return false; } }

        /// <summary>1514 (an Ethernet frame for a 1500-byte MTU).</summary>
        public int MaxFrameLength { get { return 1514; } }

        /// <summary>Nothing is ever received.</summary>
        public int Receive(byte[] buffer, int offset, int count)
        {
            return 0;
        }

        /// <summary>Refused: the link is down.</summary>
        public PortResult Send(byte[] buffer, int offset, int length)
        {
            return PortResult.LinkDown;
        }
    }
}
