namespace VpnAppliance.Ipsec.Tests;

/// <summary>
/// Numbered anti-replay cases (RFC 4303 §3.4.3, RFC 6479 bitmap; ESN per Appendix A2.2), each a (sequence,
/// expected) step run through Check then Update exactly as the inbound path does.
/// </summary>
public class ReplayWindowTests
{
    private const bool T = true;
    private const bool F = false;

    // Window 128 (bitmap 160 bits). Columns: case number, sequence number, accepted.
    public static readonly object[][] Steps128 =
    [
        [1, 0ul, F],        // 0 is never sent
        [2, 1ul, T],        // in order
        [3, 1ul, F],        // duplicate
        [4, 2ul, T],
        [5, 3ul, T],
        [6, 2ul, F],
        [7, 10ul, T],       // small jump ahead
        [8, 5ul, T],        // late but in window
        [9, 5ul, F],
        [10, 128ul, T],     // top 128: window (0, 128]
        [11, 1ul, F],       // already seen
        [12, 4ul, T],       // 4 > 128 - 128: still inside
        [13, 129ul, T],     // top 129: window is 2..129
        [14, 1ul, F],       // too old now
        [15, 2ul, F],       // seen (from step 4) and still inside
        [16, 6ul, T],
        [17, 300ul, T],     // jump beyond the whole bitmap: every block cleared
        [18, 172ul, F],     // 300 - 128 = 172: left edge excluded
        [19, 173ul, T],     // leftmost position inside
        [20, 173ul, F],
        [21, 299ul, T],
        [22, 300ul, F],
        [23, 301ul, T],
        [24, 331ul, T],     // enters a new block; block of 173 reused only when it leaves the window
        [25, 203ul, F],     // 331 - 128 = 203: outside
        [26, 204ul, T],
        [27, 1_000_000ul, T],
        [28, 999_873ul, T], // 1,000,000 - 127
        [29, 999_872ul, F], // 1,000,000 - 128
        [30, 999_999ul, T],
        [31, 1_000_000ul, F],
    ];

    [Fact]
    public void Window_128_table()
    {
        var w = new ReplayWindow(128);
        w.Reset(false);
        Assert.Equal(128, w.Size);
        foreach (object[] step in Steps128)
        {
            int n = (int)step[0];
            ulong seq = (ulong)step[1];
            bool accept = (bool)step[2];
            bool got = w.Check((uint)seq, out ulong full) == ReplayCheck.Ok && w.Update(full);
            Assert.True(accept == got, $"case {n}: seq {seq} expected {(accept ? "accept" : "reject")}");
        }
    }

    [Fact]
    public void Default_window_edges()
    {
        var w = new ReplayWindow(ReplayWindow.DefaultSize);
        w.Reset(false);
        Assert.Equal(1024, w.Size);
        Assert.True(w.Update(5000));
        Assert.Equal(ReplayCheck.TooOld, w.Check(5000 - 1024, out _));
        Assert.Equal(ReplayCheck.Ok, w.Check(5000 - 1023, out _));
        Assert.Equal(ReplayCheck.Duplicate, w.Check(5000, out _));
        // Every position of the window once, in reverse, then all duplicates.
        for (uint s = 4999; s > 5000 - 1024; s--)
        {
            Assert.Equal(ReplayCheck.Ok, w.Check(s, out ulong f));
            Assert.True(w.Update(f));
        }

        for (uint s = 5000; s > 5000 - 1024; s--)
        {
            Assert.Equal(ReplayCheck.Duplicate, w.Check(s, out _));
        }
    }

    [Fact]
    public void Check_never_changes_state()
    {
        var w = new ReplayWindow(64);
        w.Reset(false);
        for (uint s = 1; s < 200; s += 3)
        {
            w.Check(s, out _);
        }

        Assert.Equal(0ul, w.Top);
        Assert.Equal(ReplayCheck.Ok, w.Check(1, out _));
    }

    [Fact]
    public void Window_size_is_rounded_to_blocks()
    {
        Assert.Equal(32, new ReplayWindow(1).Size);
        Assert.Equal(64, new ReplayWindow(33).Size);
        Assert.Equal(2048, new ReplayWindow(2048).Size);
    }

    // ESN (RFC 4303 Appendix A2.2), window 64. Columns: case, transmitted low 32 bits, inferred full sequence
    // number, pre-check result, and whether the ICV (computed by the sender with the true high bits) would verify,
    // i.e. whether the window is updated.
    public static readonly object[][] EsnSteps =
    [
        [1, 1u, 1ul, ReplayCheck.Ok, T],
        [2, 0x8000_0000u, 0x8000_0000ul, ReplayCheck.Ok, T],
        [3, 0xFFFF_FFF0u, 0xFFFF_FFF0ul, ReplayCheck.Ok, T],          // case A, same epoch
        [4, 0xFFFF_FFFFu, 0xFFFF_FFFFul, ReplayCheck.Ok, T],
        [5, 0u, 0x1_0000_0000ul, ReplayCheck.Ok, T],                  // below the bottom in case A: next epoch
        [6, 3u, 0x1_0000_0003ul, ReplayCheck.Ok, T],                  // case B (Tl = 0 < W - 1), current epoch
        [7, 0xFFFF_FFFEu, 0xFFFF_FFFEul, ReplayCheck.Ok, T],          // case B, late from the previous epoch
        [8, 0xFFFF_FFFFu, 0xFFFF_FFFFul, ReplayCheck.Duplicate, F],   // seen in case 4
        [9, 0xFFFF_FF00u, 0x1_FFFF_FF00ul, ReplayCheck.Ok, F],        // read as far ahead; the sender's ICV used high 0: fails
        [10, 2u, 0x1_0000_0002ul, ReplayCheck.Ok, T],
        [11, 100u, 0x1_0000_0064ul, ReplayCheck.Ok, T],               // case A again
        [12, 36u, 0x2_0000_0024ul, ReplayCheck.Ok, F],                // below the bottom (37): next epoch; ICV fails
        [13, 37u, 0x1_0000_0025ul, ReplayCheck.Ok, T],                // leftmost position inside
        [14, 37u, 0x1_0000_0025ul, ReplayCheck.Duplicate, F],
    ];

    [Fact]
    public void Esn_table()
    {
        var w = new ReplayWindow(64);
        w.Reset(true);
        foreach (object[] step in EsnSteps)
        {
            int n = (int)step[0];
            ReplayCheck c = w.Check((uint)step[1], out ulong full);
            Assert.True((ulong)step[2] == full, $"case {n}: inferred {full:x}");
            Assert.True((ReplayCheck)step[3] == c, $"case {n}: {c}");
            if ((bool)step[4])
            {
                Assert.True(w.Update(full), $"case {n}: update");
            }
        }

        Assert.Equal(0x1_0000_0064ul, w.Top);
    }

    [Fact]
    public void Esn_epoch_zero_has_no_previous_epoch()
    {
        var w = new ReplayWindow(64);
        w.Reset(true);
        Assert.True(w.Update(5));
        Assert.Equal(ReplayCheck.TooOld, w.Check(0xFFFF_FFFF, out ulong f)); // would be epoch -1
        Assert.Equal(0ul, f);
    }
}
