namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>A compose file after interpolation with a given set of variables (the .env example).</summary>
internal sealed class ComposeFile
{
    private ComposeFile(string path, Dictionary<string, object?> root, IReadOnlyDictionary<string, VariableUse> variables)
    {
        Path = path;
        Root = root;
        Variables = variables;
        Services = (root.Map("services") ?? throw new FormatException($"{path}: no services"))
            .Select(pair => new ComposeService(pair.Key, (Dictionary<string, object?>)pair.Value!, System.IO.Path.GetDirectoryName(path)!))
            .ToList();
    }

    public string Path { get; }

    public Dictionary<string, object?> Root { get; }

    public IReadOnlyList<ComposeService> Services { get; }

    /// <summary>Every variable the file interpolates, and how (default, required, plain).</summary>
    public IReadOnlyDictionary<string, VariableUse> Variables { get; }

    public IReadOnlyCollection<string> NamedVolumes => Root.Map("volumes")?.Keys ?? (IReadOnlyCollection<string>)[];

    public ComposeService Service(string name) => Services.SingleOrDefault(s => s.Name == name)
        ?? throw new InvalidOperationException($"{Path}: no service '{name}' (has {string.Join(", ", Services.Select(s => s.Name))}).");

    public static ComposeFile Load(string path, IReadOnlyDictionary<string, string> variables)
    {
        var interpolation = new ComposeInterpolation(variables);
        var documents = YamlTree.LoadDocuments(path, interpolation.Apply);
        if (documents.Count != 1)
            throw new FormatException($"{path}: expected one YAML document, found {documents.Count}.");
        return new ComposeFile(path, documents[0], interpolation.Uses);
    }
}

internal sealed record ComposeService(string Name, Dictionary<string, object?> Node, string ComposeDirectory)
{
    public string? Image => Node.Str("image");

    /// <summary>The Dockerfile the service builds from (absolute), if it builds.</summary>
    public string? Dockerfile => Node.Map("build") is { } build
        ? Path.GetFullPath(Path.Combine(ComposeDirectory, build.Str("context") ?? ".", build.Str("dockerfile") ?? "Dockerfile"))
        : null;

    public IReadOnlyList<string> Command => Node.Strings("command");

    /// <summary>The service's <c>environment</c> (mapping or <c>NAME=value</c> list form).</summary>
    public IReadOnlyDictionary<string, string> Environment => Node.TryGetValue("environment", out var env)
        ? env switch
        {
            Dictionary<string, object?> map => map.ToDictionary(p => p.Key, p => (string?)p.Value ?? "", StringComparer.Ordinal),
            List<object?> list => list.Cast<string>().Select(item => item.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal),
            _ => throw new FormatException($"service {Name}: environment is neither a mapping nor a list"),
        }
        : new Dictionary<string, string>();

    public IReadOnlyList<string> HealthcheckTest => Node.Map("healthcheck")?.Strings("test") ?? [];

    public IReadOnlyList<string> Volumes => Node.Strings("volumes");

    public IReadOnlyList<string> Ports => Node.Strings("ports");

    /// <summary>Devices reserved through <c>deploy.resources.reservations.devices</c>.</summary>
    public IEnumerable<Dictionary<string, object?>> DeviceReservations =>
        Node.Map("deploy")?.Map("resources")?.Map("reservations")?.Maps("devices") ?? [];

    public IReadOnlyDictionary<string, string> DependsOn => Node.TryGetValue("depends_on", out var deps)
        ? deps switch
        {
            List<object?> names => names.Cast<string>().ToDictionary(n => n, _ => "service_started"),
            Dictionary<string, object?> map => map.ToDictionary(p => p.Key, p => ((Dictionary<string, object?>?)p.Value)?.Str("condition") ?? "service_started"),
            _ => throw new FormatException($"service {Name}: depends_on is neither a list nor a mapping"),
        }
        : new Dictionary<string, string>();
}
