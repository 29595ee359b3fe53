namespace VpnAppliance.Ipsec.Ike
{
    // TEMPORARY: replaced by the RFC 7383 implementation (helper/ikeproto) before commit.
    public enum FragmentResult { Incomplete, Complete, Duplicate, Invalid, TooLarge }
    public sealed class IkeFragmentReassembler
    {
        public const int MaxFragments = 16;
        public IkeFragmentReassembler(int maxMessageBytes) { Plain = new byte[maxMessageBytes]; }
        public FragmentResult Offer(IkeSaKeys keys, bool fromInitiator, byte[] message, int messageOffset, int messageLength, int skfOffset, uint messageId) { return FragmentResult.Invalid; }
        public byte[] Plain { get; private set; }
        public int PlainLength { get { return 0; } }
        public byte InnerNextPayload { get { return 0; } }
        public uint MessageId { get { return 0; } }
        public void Reset() { }
    }
    public sealed class IkeFragmenter
    {
        public static int FragmentCount(IkeSaKeys keys, int plainLength, int maxDatagram) { return 0; }
        public static int Write(IkeSaKeys keys, bool sendingAsInitiator, byte[] headerTemplate, int headerOffset,
            byte[] plain, int plainOffset, int plainLength, byte innerNextPayload, int number, int total, int maxDatagram,
            byte[] message, int messageOffset, int capacity) { return -1; }
    }
}
