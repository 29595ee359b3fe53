using VpnAppliance.Ipsec.Ike;
using static VpnAppliance.Ipsec.Tests.Ike.IkeKeysRig;

namespace VpnAppliance.Ipsec.Tests.Ike;

/// <summary>
/// IKE fragmentation (RFC 7383): SKF writing and reassembly with 1..16 fragments, reordering, duplicates, a corrupted
/// fragment (discarded, then the good copy completes), wrong totals, too many fragments, newer message ids, zero
/// allocation on the steady path.
/// </summary>
public class IkeFragmentTests
{
    const int MaxDatagram = 200;   // small, so a few hundred octets need several fragments

    sealed class Fragments
    {
        public required byte[][] Messages;
        public required byte[] Plain;
    }

    static Fragments Make(IkeSaKeys sender, bool initiator, int plainLength, uint messageId = 1, int maxDatagram = MaxDatagram, int seed = 1)
    {
        byte[] plain = Bytes(plainLength, seed);
        byte[] header = HeaderBuffer(IkeHeader.Length, initiator);
        Wire.NetworkByteOrder.WriteUInt32(header, IkeHeader.MessageIdField, messageId);
        int total = IkeFragmenter.FragmentCount(sender, plainLength, maxDatagram);
        Assert.True(total > 0);
        var messages = new byte[total][];
        for (int n = 1; n <= total; n++)
        {
            byte[] m = new byte[maxDatagram + 50];
            int len = IkeFragmenter.Write(sender, initiator, header, 0, plain, 0, plainLength, IkePayloadType.IdInitiator, n, total, maxDatagram, m, 0, m.Length);
            Assert.True(len > 0 && len <= maxDatagram, $"fragment {n}: {len}");
            messages[n - 1] = m.AsSpan(0, len).ToArray();
        }

        return new Fragments { Messages = messages, Plain = plain };
    }

    static FragmentResult Offer(IkeFragmentReassembler r, IkeSaKeys keys, bool fromInitiator, byte[] fragment)
    {
        byte[] copy = (byte[])fragment.Clone();     // Offer decrypts in place
        uint id = Wire.NetworkByteOrder.ReadUInt32(copy, IkeHeader.MessageIdField);
        return r.Offer(keys, fromInitiator, copy, 0, copy.Length, IkeHeader.Length, id);
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha384", "managed")]
    [InlineData("aes128-sha1", "managed")]
    [InlineData("aes256-sha256", "host")]
    [InlineData("aes256-sha512", "host")]
    public void Round_trip_with_1_to_16_fragments_in_order_and_reversed(string suite, string provider)
    {
        IkeSaKeys a = Derived(suite, provider, 1), b = Derived(suite, provider, 2);
        int chunk = a.MaxPlainLength(MaxDatagram - IkeHeader.Length, SkfHeader.Length);
        Assert.True(chunk > 50);
        var r = new IkeFragmentReassembler(16 * chunk);
        for (int count = 1; count <= IkeFragmentReassembler.MaxFragments; count++)
        {
            int length = count == 1 ? 10 : (count - 1) * chunk + 7;
            foreach (bool reversed in new[] { false, true })
            {
                Fragments f = Make(a, true, length, (uint)(count * 2 + (reversed ? 1 : 0)));
                Assert.Equal(count, f.Messages.Length);
                IEnumerable<byte[]> order = reversed ? f.Messages.Reverse() : f.Messages;
                int k = 0;
                foreach (byte[] m in order)
                {
                    // Each fragment is a well-formed IKE message ending with SKF.
                    var parsed = new IkeMessage();
                    Assert.Equal(IkeParseResult.Ok, parsed.Parse(m, 0, m.Length));
                    Assert.Equal(IkePayloadType.EncryptedFragment, parsed.Chain.Type(parsed.Chain.Count - 1));
                    FragmentResult res = Offer(r, b, true, m);
                    Assert.Equal(++k == count ? FragmentResult.Complete : FragmentResult.Incomplete, res);
                }

                Assert.Equal(length, r.PlainLength);
                Assert.Equal(f.Plain, r.Plain.AsSpan(0, r.PlainLength).ToArray());
                Assert.Equal(IkePayloadType.IdInitiator, r.InnerNextPayload);
                Assert.Equal((uint)(count * 2 + (reversed ? 1 : 0)), r.MessageId);
            }
        }
    }

    [Fact]
    public void Only_the_first_fragment_names_the_inner_payload_and_the_skf_header_is_authenticated()
    {
        IkeSaKeys a = Derived("aes256-sha256", "managed", 1), b = Derived("aes256-sha256", "managed", 2);
        Fragments f = Make(a, false, 500);
        Assert.Equal(IkePayloadType.IdInitiator, f.Messages[0][IkeHeader.Length]);
        Assert.All(f.Messages.Skip(1), m => Assert.Equal(0, m[IkeHeader.Length]));
        Assert.All(f.Messages, m => Assert.Equal(IkePayloadType.EncryptedFragment, m[IkeHeader.NextPayloadField]));
        // Change Fragment Number 2 -> 3 (still <= total): the ICV covers it.
        byte[] forged = (byte[])f.Messages[1].Clone();
        forged[IkeHeader.Length + SkfHeader.FragmentNumberField + 1] = 3;
        var r = new IkeFragmentReassembler(4096);
        Assert.Equal(FragmentResult.Invalid, Offer(r, b, false, forged));
        Assert.Equal(0, r.ReceivedCount);
        // Wrong direction keys.
        Assert.Equal(FragmentResult.Invalid, Offer(r, b, true, f.Messages[0]));
    }

    [Fact]
    public void Shuffled_duplicated_and_one_corrupted_then_the_good_copy_completes()
    {
        IkeSaKeys a = Derived("aes128gcm16-prfsha256", "managed", 1), b = Derived("aes128gcm16-prfsha256", "managed", 2);
        Fragments f = Make(a, true, 1500);
        int total = f.Messages.Length;
        Assert.True(total >= 8);
        var rng = new Random(5);
        int[] order = Enumerable.Range(0, total).OrderBy(_ => rng.Next()).ToArray();
        var r = new IkeFragmentReassembler(4096);
        int last = order[^1];

        // A corrupted copy of the last fragment first: discarded alone.
        byte[] bad = (byte[])f.Messages[last].Clone();
        bad[^5] ^= 0x40;
        Assert.Equal(FragmentResult.Invalid, Offer(r, b, true, bad));
        for (int i = 0; i < total - 1; i++)
        {
            Assert.Equal(FragmentResult.Incomplete, Offer(r, b, true, f.Messages[order[i]]));
            Assert.Equal(FragmentResult.Duplicate, Offer(r, b, true, f.Messages[order[i]]));   // retransmission
            Assert.Equal(FragmentResult.Invalid, Offer(r, b, true, bad));                      // still discarded
        }

        Assert.Equal(total - 1, r.ReceivedCount);
        Assert.Equal(FragmentResult.Complete, Offer(r, b, true, f.Messages[last]));
        Assert.Equal(f.Plain, r.Plain.AsSpan(0, r.PlainLength).ToArray());
        Assert.Equal(FragmentResult.Duplicate, Offer(r, b, true, f.Messages[0]));             // late retransmission
        Assert.Equal(f.Plain, r.Plain.AsSpan(0, r.PlainLength).ToArray());
    }

    [Fact]
    public void Wrong_totals_and_numbers_are_invalid_a_larger_total_restarts()
    {
        IkeSaKeys a = Derived("aes256-sha256", "managed", 1), b = Derived("aes256-sha256", "managed", 2);
        var r = new IkeFragmentReassembler(8192);
        Fragments small = Make(a, true, 700, messageId: 4, maxDatagram: 400);   // fewer, larger fragments
        Fragments big = Make(a, true, 700, messageId: 4, maxDatagram: 200);     // re-fragmented smaller (RFC 7383 §2.5.2)
        Assert.True(big.Messages.Length > small.Messages.Length);

        Assert.Equal(FragmentResult.Incomplete, Offer(r, b, true, small.Messages[0]));
        Assert.Equal(FragmentResult.Incomplete, Offer(r, b, true, big.Messages[0]));           // larger total: restart
        Assert.Equal(1, r.ReceivedCount);
        Assert.Equal(FragmentResult.Invalid, Offer(r, b, true, small.Messages[1]));            // smaller total now stale
        for (int i = 1; i < big.Messages.Length; i++)
        {
            Assert.Equal(i == big.Messages.Length - 1 ? FragmentResult.Complete : FragmentResult.Incomplete, Offer(r, b, true, big.Messages[i]));
        }

        Assert.Equal(big.Plain, r.Plain.AsSpan(0, r.PlainLength).ToArray());

        // Impossible headers: number 0, number > total, total 0, truncated.
        byte[] m = (byte[])big.Messages[1].Clone();
        foreach ((int number, int total) in new[] { (0, 3), (4, 3), (1, 0) })
        {
            byte[] x = (byte[])m.Clone();
            SkfHeader.Write(x, IkeHeader.Length, 0, number, total);
            Assert.Equal(FragmentResult.Invalid, r.Offer(b, true, x, 0, x.Length, IkeHeader.Length, 9));
        }

        Assert.Equal(FragmentResult.Invalid, r.Offer(b, true, m, 0, IkeHeader.Length + 6, IkeHeader.Length, 9));
        Assert.Equal(FragmentResult.Invalid, r.Offer(b, true, m, 0, m.Length, 4000, 9));
        Assert.Equal(FragmentResult.Invalid, r.Offer(b, true, null!, 0, 10, IkeHeader.Length, 9));
    }

    [Fact]
    public void Too_many_fragments_or_too_much_plaintext()
    {
        IkeSaKeys a = Derived("aes256-sha256", "managed", 1), b = Derived("aes256-sha256", "managed", 2);
        int chunk = a.MaxPlainLength(MaxDatagram - IkeHeader.Length, SkfHeader.Length);
        Fragments f = Make(a, true, 16 * chunk + 1);                                          // 17 fragments
        Assert.Equal(17, f.Messages.Length);
        var r = new IkeFragmentReassembler(64 * 1024);
        Assert.Equal(FragmentResult.TooLarge, Offer(r, b, true, f.Messages[0]));

        // Fits the count but not the buffer.
        var tiny = new IkeFragmentReassembler(2 * chunk);
        Fragments g = Make(a, true, 3 * chunk, messageId: 2);
        Assert.Equal(FragmentResult.Incomplete, Offer(tiny, b, true, g.Messages[0]));
        Assert.Equal(FragmentResult.Incomplete, Offer(tiny, b, true, g.Messages[1]));
        Assert.Equal(FragmentResult.TooLarge, Offer(tiny, b, true, g.Messages[2]));
        Assert.Equal(0, tiny.ReceivedCount);

        // The fragmenter refuses what it cannot do.
        byte[] header = HeaderBuffer(IkeHeader.Length, true);
        byte[] buf = new byte[400];
        Assert.Equal(0, IkeFragmenter.FragmentCount(a, 100, IkeHeader.Length + 40));         // no room for IV + ICV
        Assert.Equal(-1, IkeFragmenter.Write(a, true, header, 0, f.Plain, 0, f.Plain.Length, 41, 1, 3, MaxDatagram, buf, 0, buf.Length)); // wrong total
        Assert.Equal(-1, IkeFragmenter.Write(a, true, header, 0, f.Plain, 0, f.Plain.Length, 41, 18, 17, MaxDatagram, buf, 0, buf.Length));
        Assert.Equal(-1, IkeFragmenter.Write(a, true, header, 0, f.Plain, 0, f.Plain.Length, 41, 1, 17, MaxDatagram, buf, 0, 100)); // capacity
    }

    [Fact]
    public void A_newer_message_resets_an_older_one_is_refused()
    {
        IkeSaKeys a = Derived("aes256gcm16-prfsha256", "host", 1), b = Derived("aes256gcm16-prfsha256", "host", 2);
        Fragments m5 = Make(a, false, 600, messageId: 5);
        Fragments m6 = Make(a, false, 400, messageId: 6, seed: 9);
        var r = new IkeFragmentReassembler(4096);
        Assert.Equal(FragmentResult.Incomplete, Offer(r, b, false, m5.Messages[0]));
        Assert.Equal(FragmentResult.Incomplete, Offer(r, b, false, m6.Messages[1]));
        Assert.Equal(6u, r.MessageId);
        Assert.Equal(1, r.ReceivedCount);
        Assert.Equal(FragmentResult.Invalid, Offer(r, b, false, m5.Messages[1]));
        for (int i = 0; i < m6.Messages.Length; i++)
        {
            if (i != 1)
            {
                Offer(r, b, false, m6.Messages[i]);
            }
        }

        Assert.True(r.IsComplete);
        Assert.Equal(m6.Plain, r.Plain.AsSpan(0, r.PlainLength).ToArray());
        r.Reset();
        Assert.Equal(0, r.PlainLength);
        Assert.False(r.IsComplete);
    }

    [Theory]
    [InlineData("aes256gcm16-prfsha384", "managed")]
    [InlineData("aes256-sha256", "host")]
    public void Fragmenting_and_reassembling_allocate_nothing(string suite, string provider)
    {
        IkeSaKeys a = Derived(suite, provider, 1), b = Derived(suite, provider, 2);
        byte[] plain = Bytes(1200, 3);
        byte[] header = HeaderBuffer(IkeHeader.Length, true);
        byte[] m = new byte[MaxDatagram];
        var r = new IkeFragmentReassembler(4096);
        int total = IkeFragmenter.FragmentCount(a, plain.Length, MaxDatagram);
        uint id = 1;

        int Once()
        {
            id++;
            Wire.NetworkByteOrder.WriteUInt32(header, IkeHeader.MessageIdField, id);
            int complete = 0;
            for (int n = total; n >= 1; n--)
            {
                int len = IkeFragmenter.Write(a, true, header, 0, plain, 0, plain.Length, 35, n, total, MaxDatagram, m, 0, m.Length);
                if (r.Offer(b, true, m, 0, len, IkeHeader.Length, id) == FragmentResult.Complete)
                {
                    complete++;
                }
            }

            return complete == 1 && r.PlainLength == plain.Length ? 1 : 0;
        }

        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(1, Once());
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        int ok = 0;
        for (int i = 0; i < 300; i++)
        {
            ok += Once();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(300, ok);
        Assert.Equal(plain, r.Plain.AsSpan(0, r.PlainLength).ToArray());
    }
}
