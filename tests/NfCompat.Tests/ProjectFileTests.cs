using System;
using System.IO;
using System.Linq;
using VpnAppliance.NfCompat;
using VpnAppliance.NfCompat.Projects;

namespace VpnAppliance.NfCompat.Tests;

/// <summary>.nfproj handling on temporary copies: same sources, --sync, packages, references.</summary>
public sealed class ProjectFileTests : IDisposable
{
    readonly string _root = Path.Combine(Path.GetTempPath(), "nfcompat-test-" + Guid.NewGuid().ToString("N"));

    public ProjectFileTests()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "VpnAppliance.sln"), "");
        File.Copy(Path.Combine(RepositoryTests.RepoRoot(), "nfproj.props"), Path.Combine(_root, "nfproj.props"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    const string Template = @"<?xml version=""1.0"" encoding=""utf-8""?>
<Project ToolsVersion=""15.0"" DefaultTargets=""Build"" xmlns=""http://schemas.microsoft.com/developer/msbuild/2003"">
  <PropertyGroup Label=""Globals"">
    <NanoFrameworkProjectSystemPath>$(MSBuildExtensionsPath)\nanoFramework\v1.0\</NanoFrameworkProjectSystemPath>
  </PropertyGroup>
  <Import Project=""$(NanoFrameworkProjectSystemPath)NFProjectSystem.Default.props"" Condition=""Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.Default.props')"" />
  <Import Project=""../../nfproj.props"" />
  <PropertyGroup>
    <AssemblyName>{0}</AssemblyName>
  </PropertyGroup>
{1}  <ItemGroup>
    <PackageReference Include=""nanoFramework.CoreLibrary"" Version=""$(NfCoreLibraryVersion)"" />
{2}  </ItemGroup>
  <Import Project=""$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets"" Condition=""Exists('$(NanoFrameworkProjectSystemPath)NFProjectSystem.CSharp.targets')"" />
</Project>
";

    string Project(string folder, string name, string compileItems, string extraItems = "", bool withCsproj = true)
    {
        string dir = Path.Combine(_root, "firmware", folder);
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name + ".nfproj");
        File.WriteAllText(path, string.Format(Template, name, compileItems, extraItems));
        if (withCsproj) File.WriteAllText(Path.Combine(dir, name + ".csproj"), "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        return path;
    }

    void Source(string folder, string relative) => Source(folder, relative, "");

    void Source(string folder, string relative, string text)
    {
        string path = Path.Combine(_root, "firmware", folder, relative.Replace('\\', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string type = Path.GetFileNameWithoutExtension(path);
        File.WriteAllText(path, text.Length > 0 ? text : $"namespace Sample {{ public static class {type} {{ public static int Value() {{ return 1; }} }} }}\n");
    }

    static string Items(params string[] files) =>
        "  <ItemGroup>\n" + string.Concat(files.Select(f => $"    <Compile Include=\"{f}\" />\n")) + "  </ItemGroup>\n";

    string Run(out int exit)
    {
        var output = new StringWriter();
        exit = Program.Check(_root, verbose: false, output);
        return output.ToString();
    }

    [Fact]
    public void SameSources_NamesMissingAndExtraFiles()
    {
        Project("A", "A", Items("Listed.cs", "Gone.cs", "..\\Shared\\Outside.cs"));
        Source("A", "Listed.cs");
        Source("A", "Sub\\Unlisted.cs");
        Source("A", "bin\\Ignored.cs");
        Source("Shared", "Outside.cs");
        string text = Run(out int exit);
        Assert.Equal(1, exit);
        Assert.Contains("firmware/A/A.nfproj:", text);
        Assert.Contains("same-sources: 'Sub\\Unlisted.cs' is in firmware/A", text);
        Assert.Contains("same-sources: Compile item '..\\Shared\\Outside.cs' of A.nfproj is not a .cs file under firmware/A", text);
        Assert.Contains("missing-file: Compile item 'Gone.cs' does not exist", text);
        Assert.DoesNotContain("Ignored.cs", text);
        Assert.EndsWith("nfcompat: 1 projects, 3 violations\n", text.Replace("\r\n", "\n"));
    }

    [Fact]
    public void SameSources_DeviceOnlyProjectMustListItsFolderButMayLinkMore()
    {
        Project("B", "B", Items("One.cs", "..\\Shared\\Linked.cs"), withCsproj: false);
        Source("B", "One.cs");
        Source("Shared", "Linked.cs");
        string text = Run(out int exit);
        Assert.Equal(0, exit);
        Assert.Contains("firmware/B/B.nfproj: ok", text);

        Source("B", "Two.cs");
        text = Run(out exit);
        Assert.Equal(1, exit);
        Assert.Contains("same-sources: 'Two.cs' is in firmware/B but is not a Compile item of B.nfproj, so the device image would not contain it", text);
    }

    [Fact]
    public void Sync_RewritesCompileItemsAndKeepsEverythingElse()
    {
        string path = Project("C", "C", Items("Old.cs", "Zeta.cs"));
        Source("C", "Zeta.cs");
        Source("C", "alpha.cs");
        Source("C", "Beta.cs");
        Source("C", "Wire\\Header.cs");
        Source("C", "obj\\Generated.cs");
        string before = File.ReadAllText(path);

        Assert.True(SameSources.Sync(path));
        string after = File.ReadAllText(path);
        string expectedItems = Items("Beta.cs", "Wire\\Header.cs", "Zeta.cs", "alpha.cs");
        Assert.Equal(before.Replace(Items("Old.cs", "Zeta.cs"), expectedItems), after);
        Assert.False(SameSources.Sync(path)); // idempotent
        string text = Run(out int exit);
        Assert.True(exit == 0, text);
    }

    [Fact]
    public void Sync_KeepsFilesLinkedFromOutsideTheFolder()
    {
        string path = Project("Board", "Board", Items("..\\shared\\DeviceProgram.cs", "Old.cs"), withCsproj: false);
        Source("shared", "DeviceProgram.cs");
        Source("Board", "BoardProfile.g.cs");
        Assert.True(SameSources.Sync(path));
        Assert.Contains(Items("..\\shared\\DeviceProgram.cs", "BoardProfile.g.cs"), File.ReadAllText(path));
    }

    [Fact]
    public void Sync_AddsAnItemGroupWhenThereIsNone()
    {
        string path = Project("D", "D", "");
        Source("D", "Only.cs");
        Assert.True(SameSources.Sync(path));
        string after = File.ReadAllText(path);
        Assert.Contains(Items("Only.cs"), after);
        Assert.True(after.IndexOf("<Compile", StringComparison.Ordinal) < after.IndexOf("<PackageReference", StringComparison.Ordinal));
        Run(out int exit);
        Assert.Equal(0, exit);
    }

    [Fact]
    public void Sync_OnACopyOfTheRealCoreProject_ChangesNothing()
    {
        string real = Path.Combine(RepositoryTests.RepoRoot(), "firmware", "Core");
        string copy = Path.Combine(_root, "firmware", "Core");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(real)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        string nfproj = Path.Combine(copy, "Core.nfproj");
        // Core references hal/Contracts; the copy is only about the Compile items.
        Assert.False(SameSources.Sync(nfproj));
    }

    [Fact]
    public void Packages_VersionAndNameAreChecked()
    {
        Project("E", "E", Items("E.cs"),
            "    <PackageReference Include=\"nanoFramework.System.Text\" Version=\"1.2.3\" />\n" +
            "    <PackageReference Include=\"nanoFramework.Json\" Version=\"2.0.0\" />\n" +
            "    <PackageReference Include=\"nanoFramework.System.Collections\" Version=\"$(NoSuchVersion)\" />\n");
        Source("E", "E.cs");
        string text = Run(out int exit);
        Assert.Equal(1, exit);
        Assert.Contains("package: 'nanoFramework.System.Text' version 1.2.3 differs from the stable version 1.3.42", text);
        Assert.Contains("package: package 'nanoFramework.Json' is not in the nanoFramework API data", text);
        Assert.Contains("uses a property nfproj.props does not define", text);
    }

    [Fact]
    public void ProjectReferences_CompileFirstAndPassTheirPackagesOn()
    {
        Project("Lib", "Lib", Items("Names.cs"),
            "    <PackageReference Include=\"nanoFramework.System.Text\" Version=\"$(NfSystemTextVersion)\" />\n");
        Source("Lib", "Names.cs", "namespace Lib { public static class Names { public static System.Text.StringBuilder New() { return new System.Text.StringBuilder(); } } }\n");
        Project("App", "App", Items("Use.cs"), "    <ProjectReference Include=\"..\\Lib\\Lib.nfproj\" />\n");
        Source("App", "Use.cs", "namespace App { public static class Use { public static string Run() { return Lib.Names.New().Append(1).ToString(); } } }\n");
        string text = Run(out int exit);
        Assert.True(exit == 0, text);
        Assert.Contains("firmware/App/App.nfproj: ok", text);
        Assert.Contains("firmware/Lib/Lib.nfproj: ok", text);
    }

    [Fact]
    public void MalformedNfproj_IsAViolationNotACrash()
    {
        string path = Project("G", "G", Items("G.cs"));
        Source("G", "G.cs");
        File.WriteAllText(path, "<Project>\n  <ItemGroup>\n</Project>\n");
        string text = Run(out int exit);
        Assert.Equal(1, exit);
        Assert.Contains("firmware/G/G.nfproj:3: project-file: not a well-formed MSBuild file", text);
    }

    [Fact]
    public void Violations_InProjectFiles_NameFileAndLine()
    {
        Project("F", "F", Items("Bad.cs"));
        Source("F", "Bad.cs", "namespace F\n{\n    public class Bad\n    {\n        public int[,] Grid;\n    }\n}\n");
        string text = Run(out int exit);
        Assert.Equal(1, exit);
        Assert.Contains("firmware/F/Bad.cs:5: multidimensional-array: ", text);
    }
}
