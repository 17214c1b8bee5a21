using System.Globalization;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// A compose service's container environment, made runnable on this machine with the fewest
/// changes: container paths become the local source of the volume mounted there (named volumes:
/// one shared folder each, like Docker's) or a per-service folder standing in for the container's
/// own filesystem; the <c>redis</c> / <c>postgres</c> host names become the local servers; silo and
/// gateway ports become free ports (three silos share one host here). Every other DarwinGrid variable
/// is passed through unchanged, and <see cref="Changed"/> lists what was rewritten.
/// </summary>
internal sealed class LocalRun
{
    private LocalRun(IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> changed)
    {
        Environment = environment;
        Changed = changed;
    }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public IReadOnlyList<string> Changed { get; }

    public int GatewayPort => int.Parse(Environment["DarwinGrid__GatewayPort"], CultureInfo.InvariantCulture);

    public static LocalRun For(ComposeFile compose, ComposeService service, string root, LocalServers servers)
    {
        var mounts = service.Volumes.Select(v => v.Split(':')).Select(parts => (Target: parts[1], Source: parts[0].StartsWith('.') || parts[0].StartsWith('/')
                ? Path.GetFullPath(Path.Combine(Path.GetDirectoryName(compose.Path)!, parts[0]))
                : Path.Combine(root, "volumes", parts[0])))
            .OrderByDescending(m => m.Target.Length).ToList();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var changed = new List<string>();
        // Container plumbing (PATH=/app:$PATH, APP_UID, NVIDIA_*) stays the host's.
        foreach (var (name, value) in compose.ContainerEnvironment(service).Where(p => p.Key.StartsWith(DeploySettingsCatalog.EnvironmentPrefix, StringComparison.Ordinal)))
        {
            var local = name switch
            {
                "DarwinGrid__SiloPort" or "DarwinGrid__GatewayPort" => LocalServers.FreePort().ToString(CultureInfo.InvariantCulture),
                "DarwinGrid__Cluster__Redis" => value.Replace("redis:6379", $"127.0.0.1:{servers.RedisPort}", StringComparison.Ordinal),
                "DarwinGrid__Storage__PostgreSql" => value.Replace("Host=postgres;Port=5432", $"Host=127.0.0.1;Port={servers.PostgresPort}", StringComparison.Ordinal),
                _ when value.StartsWith('/') => LocalPath(value, mounts, Path.Combine(root, "containers", service.Name)),
                _ => value,
            };
            if (local != value)
                changed.Add(name);
            environment[name] = local;
        }
        // Folders the settings name (a mounted file, such as a certificate, exists already).
        foreach (var directory in environment.Values.Where(v => v.StartsWith(root, StringComparison.Ordinal) && !File.Exists(v)))
            Directory.CreateDirectory(directory);
        return new LocalRun(environment, changed);
    }

    private static string LocalPath(string containerPath, List<(string Target, string Source)> mounts, string containerRoot)
    {
        foreach (var (target, source) in mounts)
        {
            if (containerPath == target || containerPath.StartsWith(target + "/", StringComparison.Ordinal))
                return source + containerPath[target.Length..];
        }
        return containerRoot + containerPath;
    }
}
