namespace VpnAppliance.Bench;

/// <summary>
/// One benchmark family (`fib`, `crypto`, ...). Program finds every implementation by reflection, so a
/// family is added by adding its folder and one class, without touching Program.
/// </summary>
public interface IBenchCommand
{
    /// <summary>The first command-line word that selects this family.</summary>
    string Name { get; }

    /// <summary>One line for the usage text.</summary>
    string Description { get; }

    /// <summary>Runs with the remaining arguments (e.g. `--quick`); returns the process exit code.</summary>
    int Run(string[] args);
}
