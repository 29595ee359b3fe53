namespace VpnAppliance.Cli
{
    /// <summary>
    /// The rollback ring: the storage text of the last committed configurations, newest first
    /// (<c>rollback 0</c> = the running configuration, <c>rollback 1</c> = the one before, ...). Fixed size;
    /// the oldest entry is forgotten.
    /// </summary>
    public sealed class CommitHistory
    {
        private readonly string[] _texts;
        private readonly long[] _times;
        private int _count;
        private int _newest = -1;

        /// <summary>A ring of <paramref name="capacity"/> configurations.</summary>
        public CommitHistory(int capacity)
        {
            _texts = new string[capacity < 2 ? 2 : capacity];
            _times = new long[_texts.Length];
        }

        /// <summary>Entries held (rollback numbers 0..Count-1).</summary>
        public int Count { get { return _count; } }

        /// <summary>Capacity.</summary>
        public int Capacity { get { return _texts.Length; } }

        /// <summary>Records a newly committed configuration as entry 0.</summary>
        public void Push(string storageText, long nowMs)
        {
            _newest = (_newest + 1) % _texts.Length;
            _texts[_newest] = storageText;
            _times[_newest] = nowMs;
            if (_count < _texts.Length)
            {
                _count++;
            }
        }

        /// <summary>The text of rollback <paramref name="n"/>, or null when there is none.</summary>
        public string Get(int n)
        {
            return n < 0 || n >= _count ? null : _texts[Index(n)];
        }

        /// <summary>When rollback <paramref name="n"/> was committed (monotonic ms).</summary>
        public long TimeOf(int n)
        {
            return _times[Index(n)];
        }

        private int Index(int n)
        {
            return (_newest - n + _texts.Length) % _texts.Length;
        }
    }
}
