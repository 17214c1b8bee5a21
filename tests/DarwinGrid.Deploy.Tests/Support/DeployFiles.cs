namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>The repository's deploy/ folder, found from the test binary upwards (the files are read in place).</summary>
internal static class DeployFiles
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string Deploy => Path.Combine(RepositoryRoot, "deploy");

    public static string PathOf(params string[] parts) => Path.Combine([Deploy, .. parts]);

    public static ComposeFile Compose() => ComposeFile.Load(PathOf("compose.yaml"), DotEnvFile.Load(PathOf(".env.example")));

    public static KubernetesManifests Kubernetes() => KubernetesManifests.Load(PathOf("k8s"));

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "DarwinGrid.sln")) && Directory.Exists(Path.Combine(dir.FullName, "deploy")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No DarwinGrid.sln with a deploy/ folder above {AppContext.BaseDirectory}.");
    }
}
