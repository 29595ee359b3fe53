using VpnAppliance.Core;
using VpnAppliance.Firmware;
using VpnAppliance.Hal;
using VpnAppliance.Hal.Doubles;

namespace VpnAppliance.Tests.Core;

public class ApplianceTests
{
    private static Capacities Small() => new()
    {
        Routes = 16, TrieNodes = 16, FibRootBits = 8, NextHopGroups = 4, PathsPerGroup = 4, BgpPeers = 2, BgpPaths = 16,
        IkeSas = 2, ChildSas = 4, Tunnels = 2, PacketBuffers = 4, PacketBufferSize = 1664, ArpEntries = 4,
        TcpConnections = 2, TcpBufferSize = 1024, LogLines = 8, Timers = 8,
    };

    private sealed class Rig
    {
        public readonly MemorySerial Console = new(4096, 65536);
        public readonly MemoryNetPort Lan = new(new byte[] { 2, 0, 0, 0, 0, 1 }, 0, 64, 64, 1514);
        public readonly MemoryLogSink Log = new(64);
        public readonly Appliance Appliance;

        public Rig(Capacities? c = null)
        {
            Appliance = new Appliance(new BoardInfo("test-board", "test-chip", 1 << 20, c ?? Small()),
                new ApplianceHal { Console = Console, Lan = Lan, LogSink = Log, Entropy = new SeededEntropy(1) });
        }
    }

    private sealed class Module(string name, long deadline) : IApplianceModule
    {
        public readonly List<long> Polls = new();
        public long Deadline = deadline;
        public string Name => name;

        public long Poll(long nowMs)
        {
            Polls.Add(nowMs);
            return Deadline;
        }
    }

    private sealed class Handler(PacketPool pool) : IPacketHandler
    {
        public readonly List<int> Lengths = new();

        public void OnLanFrame(int buffer, int length, long nowMs)
        {
            Lengths.Add(length);
            pool.Release(buffer);
        }

        public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs) => pool.Release(buffer);
    }

    private sealed class TimerProbe : ITimerHandler
    {
        public readonly List<(int, long)> Fired = new();

        public void OnTimer(int cookie, long nowMs) => Fired.Add((cookie, nowMs));
    }

    [Fact]
    public void IdleApplianceReportsNeverAndModulesSetTheDeadline()
    {
        var rig = new Rig();
        Assert.Equal(Appliance.Never, rig.Appliance.Poll(0));
        var a = new Module("a", 500);
        var b = new Module("b", 300);
        Assert.True(rig.Appliance.AddModule(a));
        Assert.True(rig.Appliance.AddModule(b));
        Assert.Equal(300, rig.Appliance.Poll(10));
        Assert.Equal(new long[] { 10 }, a.Polls);
        var probe = new TimerProbe();
        rig.Appliance.Timers.Schedule(200, probe, 7);
        Assert.Equal(200, rig.Appliance.Poll(20));
        Assert.Equal(300, rig.Appliance.Poll(200));
        Assert.Equal(new[] { (7, 200L) }, probe.Fired);
        b.Deadline = 5; // a deadline already in the past means "now"
        Assert.Equal(250, rig.Appliance.Poll(250));
    }

    [Fact]
    public void ModuleTableIsBounded()
    {
        var rig = new Rig();
        Assert.Equal(5, rig.Appliance.ModuleCount); // router, tcp, ping, bgp, bfd (no crypto in this rig: no ipsec)
        for (int i = rig.Appliance.ModuleCount; i < Appliance.MaxModules; i++)
        {
            Assert.True(rig.Appliance.AddModule(new Module("m" + i, Appliance.Never)));
        }

        Assert.False(rig.Appliance.AddModule(new Module("extra", 1)));
        Assert.Equal(Appliance.MaxModules, rig.Appliance.ModuleCount);
    }

    [Fact]
    public void LanFramesGoToTheHandlerOrAreCountedAsUnhandled()
    {
        var rig = new Rig();
        rig.Appliance.SetPacketHandler(null); // the router is the default handler
        var frame = new byte[128];
        rig.Lan.Inject(frame, 0, 60);
        rig.Appliance.Poll(0);
        Assert.Equal(1, rig.Appliance.Counters.LanRxFrames);
        Assert.Equal(1, rig.Appliance.Counters.RxNoHandler);
        Assert.Equal(0, rig.Appliance.Packets.InUse);

        var handler = new Handler(rig.Appliance.Packets);
        rig.Appliance.SetPacketHandler(handler);
        for (int i = 0; i < 40; i++)
        {
            rig.Lan.Inject(frame, 0, 60 + i);
        }

        Assert.Equal(0, rig.Appliance.Poll(1) - 1); // batch limit reached: more work pending, deadline = now
        Assert.Equal(Appliance.FramesPerPoll, handler.Lengths.Count);
        Assert.Equal(Appliance.Never, rig.Appliance.Poll(2));
        Assert.Equal(Enumerable.Range(60, 40), handler.Lengths);
    }

    [Fact]
    public void AFullPacketPoolLeavesFramesInThePortAndIsCounted()
    {
        var rig = new Rig();
        var holder = new HoldingHandler();
        rig.Appliance.SetPacketHandler(holder);
        for (int i = 0; i < 6; i++)
        {
            rig.Lan.Inject(new byte[64], 0, 64);
        }

        Assert.Equal(5, rig.Appliance.Poll(0) + 5); // pending: pool exhausted after 4 buffers
        Assert.Equal(4, holder.Held.Count);
        Assert.Equal(1, rig.Appliance.Counters.RxNoBuffer);
        foreach (int b in holder.Held)
        {
            rig.Appliance.Packets.Release(b);
        }

        holder.Held.Clear();
        rig.Appliance.Poll(1);
        Assert.Equal(2, holder.Held.Count);
    }

    private sealed class HoldingHandler : IPacketHandler
    {
        public readonly List<int> Held = new();

        public void OnLanFrame(int buffer, int length, long nowMs) => Held.Add(buffer);

        public void OnWanDatagram(int localPort, uint sourceAddress, int sourcePort, int buffer, int length, long nowMs) => Held.Add(buffer);
    }

    [Fact]
    public void ConsoleRunsBuiltinCommandsAndStopsAtEndOfInput()
    {
        var rig = new Rig();
        rig.Console.PushText("show version\r\nbogus thing\r\n\r\nshow system\n");
        rig.Appliance.Poll(1500);
        string output = rig.Console.OutputText();
        Assert.Contains("edge-vpn-appliance " + FirmwareVersion.Text, output);
        Assert.Contains("board test-board (test-chip)", output);
        Assert.Contains("% unknown command: 'bogus thing' (type 'help')", output);
        Assert.Contains("timers 8", output);
        Assert.False(rig.Appliance.ConsoleClosed);
        rig.Console.EndInput();
        rig.Appliance.Poll(1600);
        Assert.True(rig.Appliance.ConsoleClosed);
        Assert.Equal(3, rig.Appliance.Counters.ConsoleLines - 1); // the empty line counts as a line but prints nothing
    }

    [Fact]
    public void StartIsLoggedToTheRingAndTheSink()
    {
        var rig = new Rig();
        rig.Appliance.Poll(42);
        Assert.Equal(1, rig.Appliance.Log.Count);
        Assert.Contains("started", rig.Appliance.Log.Message(0));
        rig.Console.PushText("show log\r");
        rig.Appliance.Poll(43);
        Assert.Contains("info system: edge-vpn-appliance", rig.Console.OutputText());
    }

    [Fact]
    public void SteadyStateForwardingLoopAllocatesNothing()
    {
        var rig = new Rig();
        var handler = new Handler(rig.Appliance.Packets);
        rig.Appliance.SetPacketHandler(handler);
        var frame = new byte[1514];
        var probe = new NoopTimer();
        for (int i = 0; i < 100; i++)
        {
            rig.Lan.Inject(frame, 0, 1514);
            rig.Appliance.Poll(i);
        }

        handler.Lengths.Capacity = 20_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10_000; i++)
        {
            rig.Lan.Inject(frame, 0, 1514);
            rig.Appliance.Timers.Schedule(i, probe, i);
            rig.Appliance.Poll(1000 + i);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    private sealed class NoopTimer : ITimerHandler
    {
        public void OnTimer(int cookie, long nowMs)
        {
        }
    }

    [Fact]
    public void InvalidCapacitiesAreRefusedWithTheFieldName()
    {
        var c = Small();
        c.PacketBufferSize = 100;
        var e = Assert.Throws<ArgumentException>(() => new Rig(c));
        Assert.Contains("packetBufferSize must be in 1600..9216", e.Message);
    }
}
