using VpnAppliance.Boards;
using VpnAppliance.Core;
using VpnAppliance.Firmware;

namespace VpnAppliance.Tests.Core;

public class BoardTests
{
    private static readonly string Root = RepoPaths.Root;

    [Fact]
    public void EveryBoardLoadsAndTheRequiredOnesExist()
    {
        var names = BoardCatalog.Load(Root).Select(b => b.Name).ToArray();
        Assert.Contains("native-sim", names);
        Assert.Contains("stm32f769i-disco", names);
        Assert.Contains(names, n => n.StartsWith("esp32", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryBoardFitsItsHeapBudget()
    {
        foreach (var board in BoardCatalog.Load(Root))
        {
            long used = BoardCatalog.StaticBytes(board);
            Assert.True(used > 0);
            Assert.True(used <= board.HeapBudgetBytes, $"{board.Name}: {used} > {board.HeapBudgetBytes}");
        }
    }

    [Fact]
    public void AccountingMatchesWhatTheApplianceReallyAllocates()
    {
        // The budget is only worth something if it describes the real pools: build an appliance with
        // each board's capacities and compare the bytes the CoreCLR allocated with the host model.
        foreach (var board in BoardCatalog.Load(Root))
        {
            var info = board.ToBoardInfo();
            var hal = new ApplianceHal();
            long before = GC.GetAllocatedBytesForCurrentThread();
            var appliance = new Appliance(info, hal);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            GC.KeepAlive(appliance);
            var budget = new MemoryBudget();
            Appliance.Account(budget, info.Capacities);
            long modelled = budget.HostBytes;
            Assert.InRange(allocated, modelled * 98 / 100, modelled * 102 / 100 + 256);
        }
    }

    [Fact]
    public void GeneratedDeviceProfilesAreCurrent()
    {
        foreach (var board in BoardCatalog.Load(Root).Where(b => b.NanoffTarget != null))
        {
            string path = Path.Combine(board.Directory, BoardCatalog.GeneratedFile);
            Assert.True(File.Exists(path), $"{path} missing: run `dotnet run --project tools/VpnSim -- boards --write`");
            Assert.Equal(BoardCatalog.GenerateSource(board), File.ReadAllText(path).ReplaceLineEndings("\n"));
        }
    }

    [Fact]
    public void ABoardFileWithAnUnknownOrMissingCapacityIsRefusedWithItsName()
    {
        string dir = Path.Combine(Path.GetTempPath(), "vpn-board-test-" + Guid.NewGuid().ToString("N"), "bad-board");
        Directory.CreateDirectory(dir);
        try
        {
            string good = File.ReadAllText(Path.Combine(Root, "boards", "wt32-eth01", "board.json")).Replace("\"wt32-eth01\"", "\"bad-board\"");
            File.WriteAllText(Path.Combine(dir, "board.json"), good.Replace("\"routes\"", "\"rootes\""));
            var e = Assert.Throws<BoardFileException>(() => BoardProfile.Load(Path.Combine(dir, "board.json")));
            Assert.Contains("capacities.rootes is not a known capacity", e.Message);

            File.WriteAllText(Path.Combine(dir, "board.json"), good.Replace("\"timers\": 32", "\"timers\": 0"));
            e = Assert.Throws<BoardFileException>(() => BoardProfile.Load(Path.Combine(dir, "board.json")));
            Assert.Contains("timers must be in 1..", e.Message);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dir)!, true);
        }
    }
}
