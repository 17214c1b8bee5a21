using System.Globalization;
using DarwinGrid.Grains.Clients;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DarwinGrid.Cli.Tests.Cluster;

/// <summary>
/// Silo processes of one cluster (its own cluster id and database on the shared Redis and
/// PostgreSQL servers), each on fixed ports so a killed silo can be started again as itself, and a
/// client in this process configured as any DarwinGrid client would be (Redis mode).
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly Dictionary<string, (int Silo, int Gateway)> _ports = [];
    private readonly Dictionary<string, SiloProcess> _silos = [];
    private IHost? _client;

    private TestCluster(string directory, Dictionary<string, string> environment)
    {
        Directory = directory;
        Environment = environment;
    }

    public string Directory { get; }

    /// <summary>The DarwinGrid__* settings every silo runs with.</summary>
    public Dictionary<string, string> Environment { get; }

    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>() ?? throw new InvalidOperationException("No client yet.");

    public GrainCallRetry Retry => _client?.Services.GetRequiredService<GrainCallRetry>() ?? throw new InvalidOperationException("No client yet.");

    public static async Task<TestCluster> CreateAsync(RedisServer redis, PostgresServer postgres)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("darwingrid-cluster-").FullName;
        var environment = new Dictionary<string, string>
        {
            ["DarwinGrid__Cluster__Mode"] = "Redis",
            ["DarwinGrid__Cluster__Redis"] = redis.ConnectionString,
            ["DarwinGrid__Cluster__ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8],
            ["DarwinGrid__Cluster__AdvertisedIp"] = "127.0.0.1",
            ["DarwinGrid__Storage__Provider"] = "PostgreSql",
            ["DarwinGrid__Storage__PostgreSql"] = await postgres.CreateDatabaseAsync(),
            ["DarwinGrid__Home"] = Path.Combine(directory, "home"),
            ["DarwinGrid__DataDir"] = SharedData.Root,
            ["DarwinGrid__Engine__Threads"] = "1",
            ["DarwinGrid__Engine__SeqMax"] = "16",
            ["DarwinGrid__Engine__MaxAnswerTokens"] = "6",
            ["DarwinGrid__Screening__BatchSize"] = "50",
            ["DarwinGrid__Screening__MaxBatchesInFlight"] = "4",
            ["DarwinGrid__Screening__ProgressInterval"] = "00:00:00.200",
            ["DarwinGrid__Screening__CampaignCheckInterval"] = "00:00:00.500",
            ["DarwinGrid__Screening__KeeperInterval"] = "00:00:01",
            ["DarwinGrid__Screening__RetryDelay"] = "00:00:00.100",
            ["DarwinGrid__Screening__ModelCallTimeout"] = "00:00:20",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__DarwinGrid"] = "Information",
            // Timestamps, so a failure's silo logs can be lined up with each other and the test output.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ",
        };
        return new TestCluster(directory, environment);
    }

    /// <summary>Starts the named silo (again, after a kill: same name and ports, a new incarnation).</summary>
    public async Task<SiloProcess> StartSiloAsync(string name)
    {
        (int Silo, int Gateway) ports;
        lock (_silos)
        {
            if (!_ports.TryGetValue(name, out ports))
                _ports[name] = ports = (FreePort.Next(), FreePort.Next());
            if (_silos.Remove(name, out var old))
                old.Dispose();
        }
        var silo = await SiloProcess.StartAsync(name, ports.Silo, ports.Gateway, Environment, Directory, TimeSpan.FromSeconds(90));
        lock (_silos)
            _silos[name] = silo;
        return silo;
    }

    public void Kill(string name)
    {
        lock (_silos)
            _silos[name].Kill();
    }

    /// <summary>Connects the in-process client through Redis, as <c>darwin ... </c> verbs do in Redis mode.</summary>
    public async Task ConnectAsync()
    {
        var overrides = Environment.ToDictionary(e => e.Key.Replace("__", ":", StringComparison.Ordinal), e => (string?)e.Value);
        overrides["Logging:LogLevel:Default"] = "Error";
        _client = DarwinHost.CreateClient(overrides);
        await _client.StartAsync();
    }

    /// <summary>The log of every silo, for a failure message.</summary>
    public string Logs(int tailLines = 40) => string.Join("\n", _silos.Values.ToList().Select(s =>
        $"--- {s.Name} (pid {s.Pid.ToString(CultureInfo.InvariantCulture)}) ---\n" + string.Join("\n", s.Log().Split('\n').TakeLast(tailLines))));

    /// <summary>
    /// Every silo's whole log (a restarted silo's log holds both incarnations) without llama.cpp's
    /// model-loading chatter: what a failed run needs to be diagnosed from CI output alone.
    /// </summary>
    public string FullLogs() => string.Join("\n", _silos.Values.ToList().Select(s =>
        $"--- {s.Name} (pid {s.Pid.ToString(CultureInfo.InvariantCulture)}, {s.LogFile}) ---\n" + string.Join("\n", s.Log().Split('\n').Where(IsLoggerLine))));

    // Logger lines start with their timestamp, their continuation lines with spaces; native lines with neither.
    private static bool IsLoggerLine(string line) =>
        line.Length > 0 && (char.IsDigit(line[0]) || char.IsWhiteSpace(line[0]) || line.StartsWith("DarwinGrid", StringComparison.Ordinal));

    /// <summary>
    /// With <c>DARWINGRID_CLUSTER_LOGS</c> set to a directory (CI does, to keep them as artifacts), every
    /// silo log of this cluster is copied there before the cluster's directory is deleted.
    /// </summary>
    private void CopyLogsIfAsked()
    {
        if (System.Environment.GetEnvironmentVariable("DARWINGRID_CLUSTER_LOGS") is not { Length: > 0 } target)
            return;
        var into = System.IO.Directory.CreateDirectory(Path.Combine(target, Environment["DarwinGrid__Cluster__ClusterId"])).FullName;
        foreach (var log in System.IO.Directory.EnumerateFiles(Directory, "*.log"))
            File.Copy(log, Path.Combine(into, Path.GetFileName(log)), overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _client.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
            _client.Dispose();
        }
        foreach (var silo in _silos.Values)
            silo.Dispose();
        CopyLogsIfAsked();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
