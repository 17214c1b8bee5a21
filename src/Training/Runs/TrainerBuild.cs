using System.Reflection;

namespace DarwinGrid.Training.Runs;

/// <summary>Which build of the trainer made a model: the assembly's informational version, whose "+suffix" is the git commit when the SDK knew it.</summary>
public sealed record TrainerBuild(string Version, string? GitCommit, string Runtime, string OperatingSystem, int ProcessorCount)
{
    public static TrainerBuild Current()
    {
        var assembly = typeof(TrainerBuild).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        var plus = version.IndexOf('+');
        var commit = plus >= 0 && plus + 1 < version.Length ? version[(plus + 1)..] : null;
        return new TrainerBuild(version, commit, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription, Environment.ProcessorCount);
    }
}
