using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

/// <summary>Options shared by several verbs.</summary>
public static class CommonOptions
{
    public static Option<string?> DataDir() => new("--data-dir")
    {
        Description = "The shared data folder (default: DARWINGRID_DATA, or shared/data found above the working directory).",
    };
}
