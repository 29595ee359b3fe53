using VpnAppliance.Core;

namespace VpnAppliance.Bfd
{
    /// <summary>Engine-wide BFD counters (<c>show bfd counters</c>); per-session ones are on <see cref="BfdSession"/>.</summary>
    public sealed class BfdCounters
    {
        private readonly long[] _results = new long[BfdReceiveResults.Count];

        /// <summary>Describes this object for the memory budget.</summary>
        public static void Account(MemoryBudget budget)
        {
            budget.AddObject(5, 8 + 4 * 8);
            budget.AddValueArray(8, BfdReceiveResults.Count);
        }

        /// <summary>Control packets offered to the engine.</summary>
        public long Received;

        /// <summary>Control packets handed to the output.</summary>
        public long Sent;

        /// <summary>Control packets the output refused (no route, interface down, pool full).</summary>
        public long SendFailures;

        /// <summary>Sessions refused because the pool was full.</summary>
        public long SessionsFull;

        /// <summary>Number of packets that ended with <paramref name="result"/> (Accepted or a discard reason).</summary>
        public long Results(BfdReceiveResult result)
        {
            int i = (int)result;
            return i >= 0 && i < _results.Length ? _results[i] : 0;
        }

        /// <summary>Packets discarded for any reason.</summary>
        public long Discarded
        {
            get
            {
                long sum = 0;
                for (int i = 1; i < _results.Length; i++)
                {
                    sum += _results[i];
                }

                return sum;
            }
        }

        /// <summary>Sets every counter to zero.</summary>
        public void Clear()
        {
            Received = 0;
            Sent = 0;
            SendFailures = 0;
            SessionsFull = 0;
            for (int i = 0; i < _results.Length; i++)
            {
                _results[i] = 0;
            }
        }

        internal void Count(BfdReceiveResult result)
        {
            int i = (int)result;
            if (i >= 0 && i < _results.Length)
            {
                _results[i]++;
            }
        }
    }
}
