namespace DarwinGrid.Training.Runs;

/// <summary>
/// DarwinGrid's own folder for things it builds once and keeps (trained models under <c>models/</c>):
/// an explicit path, else <c>DARWINGRID_HOME</c>, else <c>~/.local/share/darwingrid</c>.
/// </summary>
public static class DarwinGridHome
{
    public const string EnvironmentVariable = "DARWINGRID_HOME";

    public static string Resolve(string? explicitHome = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitHome)) return Path.GetFullPath(explicitHome);
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var profile = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(profile))
            throw new InvalidOperationException($"No home folder is known for this user; set {EnvironmentVariable}.");
        return Path.Combine(profile, ".local", "share", "darwingrid");
    }

    public static string ModelsDirectory(string home) => Path.Combine(home, "models");
}
