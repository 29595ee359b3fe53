namespace VpnAppliance.Tcp.Tests;

/// <summary>SipHash-2-4 vector and RFC 6528 ISN properties.</summary>
public class IsnTests
{
    [Fact]
    public void SipHashMatchesThePaperVector()
    {
        // SipHash paper, Appendix A: key 00..0f, message 00..0e (15 bytes) -> a129ca6149be45e5.
        var key = new byte[16];
        for (int i = 0; i < 16; i++)
        {
            key[i] = (byte)i;
        }

        var msg = new byte[15];
        for (int i = 0; i < 15; i++)
        {
            msg[i] = (byte)i;
        }

        ulong k0 = SipHash24.ReadKeyWord(key, 0);
        ulong k1 = SipHash24.ReadKeyWord(key, 8);
        Assert.Equal(0xa129ca6149be45e5UL, SipHash24.Hash(k0, k1, msg, 0, 15));
        // Empty message (first line of the reference vectors.h): 310e0edd47db6f72.
        Assert.Equal(0x726fdb47dd0e0e31UL, SipHash24.Hash(k0, k1, msg, 0, 0));
    }

    [Fact]
    public void IsnIsKeyedPerFourTupleAndAdvancesWithTheClock()
    {
        var isn = new InitialSequenceNumber(Peer.Secret(1));
        uint a = isn.Next(1, 1000, 2, 179, 0);
        uint b = isn.Next(1, 1001, 2, 179, 0);
        Assert.NotEqual(a, b);
        // RFC 6528 §3: M ticks every 4 µs -> 250 per ms, same F for the same tuple.
        Assert.Equal(a + 250u * 1000, isn.Next(1, 1000, 2, 179, 1000));
        var other = new InitialSequenceNumber(Peer.Secret(2));
        Assert.NotEqual(a, other.Next(1, 1000, 2, 179, 0));
        Assert.Throws<ArgumentException>(() => new InitialSequenceNumber(new byte[8]));
    }
}
