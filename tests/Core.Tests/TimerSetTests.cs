using VpnAppliance.Core;

namespace VpnAppliance.Tests.Core;

public class TimerSetTests
{
    private sealed class Recorder : ITimerHandler
    {
        public readonly List<(int Cookie, long Now)> Fired = new();
        public Action<int, long>? OnFire;

        public void OnTimer(int cookie, long nowMs)
        {
            Fired.Add((cookie, nowMs));
            OnFire?.Invoke(cookie, nowMs);
        }
    }

    [Fact]
    public void FiresInDeadlineOrderWithTiesInScheduleOrder()
    {
        var set = new TimerSet(16);
        var r = new Recorder();
        set.Schedule(300, r, 3);
        set.Schedule(100, r, 1);
        set.Schedule(200, r, 20);
        set.Schedule(200, r, 21);
        set.Schedule(200, r, 22);
        Assert.Equal(100, set.NextDeadline);

        Assert.Equal(0, set.Fire(99, 100));
        Assert.Equal(4, set.Fire(250, 100));
        Assert.Equal(new[] { 1, 20, 21, 22 }, r.Fired.Select(f => f.Cookie));
        Assert.Equal(300, set.NextDeadline);
        Assert.Equal(1, set.Fire(1000, 100));
        Assert.Equal(TimerSet.Never, set.NextDeadline);
        Assert.Equal(0, set.Count);
    }

    [Fact]
    public void FullSetReturnsFullCountsAndChangesNothing()
    {
        var set = new TimerSet(3);
        var r = new Recorder();
        for (int i = 0; i < 3; i++)
        {
            Assert.NotEqual(TimerSet.Full, set.Schedule(10 + i, r, i));
        }

        Assert.Equal(TimerSet.Full, set.Schedule(1, r, 99));
        Assert.Equal(1, set.FullCount);
        Assert.Equal(3, set.Count);
        Assert.Equal(10, set.NextDeadline);
        set.Fire(100, 10);
        Assert.Equal(new[] { 0, 1, 2 }, r.Fired.Select(f => f.Cookie));
    }

    [Fact]
    public void CancelAndStaleHandles()
    {
        var set = new TimerSet(4);
        var r = new Recorder();
        int a = set.Schedule(10, r, 1);
        int b = set.Schedule(20, r, 2);
        Assert.True(set.IsArmed(a));
        Assert.True(set.Cancel(a));
        Assert.False(set.IsArmed(a));
        Assert.False(set.Cancel(a));
        int c = set.Schedule(5, r, 3);
        Assert.Equal(a & 0xFFFF, c & 0xFFFF); // slot reused ...
        Assert.NotEqual(a, c);                // ... under a new generation
        Assert.False(set.Cancel(a));          // the stale handle does not cancel the new timer
        Assert.True(set.IsArmed(c));
        set.Fire(100, 10);
        Assert.Equal(new[] { 3, 2 }, r.Fired.Select(f => f.Cookie));
        Assert.False(set.Cancel(b));
        Assert.False(set.Cancel(-5));
        Assert.False(set.Cancel(0x7FFF_FFFF));
    }

    [Fact]
    public void BatchLimitBoundsOneCallAndHandlersMayReschedule()
    {
        var set = new TimerSet(8);
        var r = new Recorder();
        r.OnFire = (cookie, now) => set.Schedule(now, r, cookie + 100); // re-arms itself, due at once
        set.Schedule(0, r, 1);
        Assert.Equal(5, set.Fire(0, 5));
        Assert.Equal(1, set.Count);
        Assert.Equal(new[] { 1, 101, 201, 301, 401 }, r.Fired.Select(f => f.Cookie));
    }

    [Fact]
    public void RandomizedAgainstSortedReference()
    {
        var rng = new Random(7);
        var set = new TimerSet(64);
        var r = new Recorder();
        var reference = new List<(long Due, long Seq, int Cookie, int Handle)>();
        long seq = 0;
        long now = 0;
        for (int step = 0; step < 20_000; step++)
        {
            int op = rng.Next(10);
            if (op < 5)
            {
                long due = now + rng.Next(0, 500);
                int cookie = step;
                int h = set.Schedule(due, r, cookie);
                if (reference.Count == 64)
                {
                    Assert.Equal(TimerSet.Full, h);
                }
                else
                {
                    Assert.NotEqual(TimerSet.Full, h);
                    reference.Add((due, seq++, cookie, h));
                }
            }
            else if (op < 7 && reference.Count > 0)
            {
                int i = rng.Next(reference.Count);
                Assert.True(set.Cancel(reference[i].Handle));
                reference.RemoveAt(i);
            }
            else
            {
                now += rng.Next(0, 100);
                r.Fired.Clear();
                set.Fire(now, int.MaxValue);
                var expected = reference.Where(t => t.Due <= now).OrderBy(t => t.Due).ThenBy(t => t.Seq).Select(t => t.Cookie).ToList();
                reference.RemoveAll(t => t.Due <= now);
                Assert.Equal(expected, r.Fired.Select(f => f.Cookie));
            }

            Assert.Equal(reference.Count, set.Count);
            Assert.Equal(reference.Count == 0 ? TimerSet.Never : reference.Min(t => t.Due), set.NextDeadline);
        }
    }

    [Fact]
    public void ScheduleFireAndCancelAllocateNothing()
    {
        var set = new TimerSet(32);
        var r = new Recorder();
        var noop = new NoopHandler();
        for (int i = 0; i < 100; i++)
        {
            set.Cancel(set.Schedule(i, noop, i));
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            int h = set.Schedule(i + 5, noop, i);
            set.Schedule(i, noop, i);
            set.Cancel(h);
            set.Fire(i, 4);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private sealed class NoopHandler : ITimerHandler
    {
        public void OnTimer(int cookie, long nowMs)
        {
        }
    }
}
