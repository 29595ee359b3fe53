using VpnAppliance.Core;
using VpnAppliance.Wire;

namespace VpnAppliance.Tcp
{
    /// <summary>
    /// What <c>new TcpStack(connections, bufferSize, secret, output, settings)</c> allocates, for the board budget,
    /// object by object (TcpStack.cs, TcpConnection.cs, ByteRing.cs, ReceiveAssembler.cs, RetransmissionTimeout.cs,
    /// InitialSequenceNumber.cs, TcpCounters.cs): a change to the fields of those classes must be mirrored here.
    /// tests/Core.Tests compares it with the bytes really allocated, so drift fails a test.
    /// </summary>
    public static class TcpStackBudget
    {
        /// <summary>Adds the stack of <paramref name="connections"/> slots with <paramref name="bufferSize"/>-byte buffers.</summary>
        public static void Account(MemoryBudget budget, int connections, int bufferSize, TcpSettings settings)
        {
            // TcpStack: 8 references, 4 ints, 1 long; the per-peer TTL table (one long per slot).
            budget.AddObject(13, 8 * 8 + 4 * 4 + 8);
            budget.AddValueArray(8, connections);
            // TcpCounters: 21 longs.
            budget.AddObject(21, 21 * 8);
            // InitialSequenceNumber: 2 ulongs and its 12-byte tuple buffer.
            budget.AddObject(3, 2 * 8 + 8);
            budget.AddValueArray(1, 12);
            budget.AddReferenceArray(connections);
            for (int i = 0; i < connections; i++)
            {
                // TcpConnection: 29 four-byte fields, 9 bools, 4 references, 5 longs.
                budget.AddObject(47, 29 * 4 + 9 + 4 * 8 + 5 * 8);
                // Send and receive ByteRing: storage, head, count.
                for (int r = 0; r < 2; r++)
                {
                    budget.AddObject(3, 8 + 2 * 4);
                    budget.AddValueArray(1, bufferSize);
                }

                // ReceiveAssembler: two int arrays of MaximumRanges + 1 and a count.
                budget.AddObject(3, 2 * 8 + 4);
                budget.AddValueArray(4, ReceiveAssembler.MaximumRanges + 1);
                budget.AddValueArray(4, ReceiveAssembler.MaximumRanges + 1);
                // RetransmissionTimeout: 7 ints and a bool.
                budget.AddObject(8, 7 * 4 + 1);
            }

            // The segment output buffer: headroom + header with the MSS option + one MSS of data.
            budget.AddValueArray(1, settings.OutputHeadroom + TcpSegment.MinimumHeaderLength + 4 + settings.MaximumSegmentSize);
        }

        /// <summary>The settings object the appliance creates: 9 ints and a bool.</summary>
        public static void AccountSettings(MemoryBudget budget)
        {
            budget.AddObject(10, 9 * 4 + 1);
        }
    }
}
