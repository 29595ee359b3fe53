using System.Runtime.CompilerServices;
using VpnAppliance.Boards;

namespace VpnAppliance.Tests.Core;

/// <summary>Locates the repository from this source file (build output may live outside the tree).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = BoardCatalog.FindRepoRoot(Here());

    private static string Here([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
