using VpnAppliance.Boards;
using VpnAppliance.Core;

namespace VpnAppliance.VpnSim;

/// <summary>`VpnSim boards [--write]`: each board, its capacities and static memory; --write regenerates BoardProfile.g.cs.</summary>
public static class BoardsCommand
{
    public static int Run(Options options)
    {
        string root = BoardCatalog.FindRepoRoot(Environment.CurrentDirectory);
        foreach (var board in BoardCatalog.Load(root))
        {
            var budget = BoardCatalog.Budget(board.Capacities);
            Console.WriteLine($"{board.Name}: {board.Chip}; nanoff target {board.NanoffTarget ?? "(host)"}; static pools {budget.NanoBytes} of {board.HeapBudgetBytes} bytes");
            Console.WriteLine("  " + string.Join(", ", Capacities.FieldNames.Select(f => $"{f}={board.Capacities.Get(f)}")));
            if (options.Write && board.NanoffTarget != null)
            {
                string path = Path.Combine(board.Directory, BoardCatalog.GeneratedFile);
                File.WriteAllText(path, BoardCatalog.GenerateSource(board));
                Console.WriteLine($"  wrote {Path.GetRelativePath(root, path)}");
            }
        }

        return 0;
    }
}
