namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>The darwin services of compose.yaml with the environment their containers really get (image ENV, then the service's).</summary>
internal static class DarwinContainers
{
    public const string RoleVariable = "DarwinGrid__Silo__Role";

    /// <summary>Services that run the darwin binary (they build or use a darwingrid/ image).</summary>
    public static IEnumerable<ComposeService> DarwinServices(this ComposeFile compose) =>
        compose.Services.Where(s => s.Image?.StartsWith("darwingrid/", StringComparison.Ordinal) == true);

    public static IEnumerable<ComposeService> Silos(this ComposeFile compose) =>
        compose.DarwinServices().Where(s => s.Command.FirstOrDefault() == "serve");

    /// <summary>The Dockerfile behind a service's image: its own build, or the service that builds the same image.</summary>
    public static Dockerfile DockerfileOf(this ComposeFile compose, ComposeService service)
    {
        var path = service.Dockerfile ?? compose.Services.FirstOrDefault(s => s.Image == service.Image && s.Dockerfile is not null)?.Dockerfile
            ?? throw new InvalidOperationException($"No service builds {service.Image} (used by {service.Name}).");
        return Dockerfile.Load(path);
    }

    public static IReadOnlyDictionary<string, string> ContainerEnvironment(this ComposeFile compose, ComposeService service)
    {
        var env = new Dictionary<string, string>(Dockerfile.Environment(compose.DockerfileOf(service).Final), StringComparer.Ordinal);
        foreach (var (name, value) in service.Environment)
            env[name] = value;
        return env;
    }
}
