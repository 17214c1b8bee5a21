namespace DarwinGrid.Domain.Data;

/// <summary>
/// Finds the shared data folder (<c>shared/data</c> beside the repository) without copying it:
/// an explicit path or <c>DARWINGRID_DATA</c> wins, otherwise the folders above the working
/// directory and the executable are searched for <c>shared/data/README.md</c>.
/// </summary>
public static class SharedDataLocator
{
    public const string EnvironmentVariable = "DARWINGRID_DATA";

    public static string? TryLocate(string? explicitPath = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
            return Directory.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
            return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data");
                if (File.Exists(Path.Combine(candidate, "README.md")))
                    return candidate;
            }
        }
        return null;
    }

    public static string Locate(string? explicitPath = null) =>
        TryLocate(explicitPath) ?? throw new DirectoryNotFoundException(
            explicitPath is not null
                ? $"Data directory '{explicitPath}' does not exist."
                : $"Could not find the shared data folder: looked for shared/data/README.md above " +
                  $"'{Directory.GetCurrentDirectory()}' and '{AppContext.BaseDirectory}'. " +
                  $"Pass --data-dir or set {EnvironmentVariable}.");
}
