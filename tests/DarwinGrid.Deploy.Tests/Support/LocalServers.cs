using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// Throw-away Redis and PostgreSQL servers on free localhost ports (Debian's redis-server and
/// postgresql packages), standing in for the compose services of the same names.
/// </summary>
internal sealed class LocalServers : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("deploy-servers-").FullName;
    private Process? _redis;
    private string? _postgresBin;
    private string? _postgresData;

    public int RedisPort { get; } = FreePort();

    public int PostgresPort { get; } = FreePort();

    /// <summary>Starts both; on failure stops whatever did start (the caller's dispose may never run).</summary>
    public async Task StartAsync(string redisPassword, string postgresUser, string postgresPassword, string database)
    {
        try
        {
            await StartServersAsync(redisPassword, postgresUser, postgresPassword, database);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    private async Task StartServersAsync(string redisPassword, string postgresUser, string postgresPassword, string database)
    {
        var redisServer = FindExecutable("redis-server", []) ?? throw new InvalidOperationException("redis-server is not installed (apt-get install redis-server).");
        _redis = Process.Start(new ProcessStartInfo(redisServer)
        {
            ArgumentList = { "--port", RedisPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--requirepass", redisPassword, "--save", "", "--appendonly", "no" },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        _redis.BeginOutputReadLine();

        var initdb = FindExecutable("initdb", Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")) : [])
            ?? throw new InvalidOperationException("PostgreSQL is not installed (apt-get install postgresql).");
        // /usr/local/bin/initdb may be a lone link into the real bin folder, which has createdb too.
        _postgresBin = Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb)!;
        _postgresData = Path.Combine(_directory, "pg");
        var passwordFile = Path.Combine(_directory, "pgpass");
        await File.WriteAllTextAsync(passwordFile, postgresPassword);
        // initdb refuses to run as root: run the server as the postgres user then.
        if (Environment.UserName == "root")
            await RunAsync("chown", ["-R", "postgres", _directory]);
        await RunPostgresAsync("initdb", ["-D", _postgresData, "-U", postgresUser, "--auth=scram-sha-256", $"--pwfile={passwordFile}", "-E", "UTF8"]);
        await RunPostgresAsync("pg_ctl", ["-D", _postgresData, "-l", Path.Combine(_directory, "pg.log"), "-w", "-o",
            $"-p {PostgresPort} -k {_directory} -c listen_addresses=127.0.0.1", "start"]);
        await RunAsync(Path.Combine(_postgresBin, "createdb"), ["-h", "127.0.0.1", "-p", PostgresPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", postgresUser, database],
            new Dictionary<string, string> { ["PGPASSWORD"] = postgresPassword });
        await WaitForPortAsync(RedisPort);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is { HasExited: false })
        {
            _redis.Kill();
            await _redis.WaitForExitAsync();
        }
        _redis?.Dispose();
        if (_postgresData is not null && File.Exists(Path.Combine(_postgresData, "postmaster.pid")))
            await RunPostgresAsync("pg_ctl", ["-D", _postgresData, "-m", "immediate", "-w", "stop"]);
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private Task RunPostgresAsync(string tool, IReadOnlyList<string> arguments) => Environment.UserName == "root"
        ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_postgresBin!, tool), .. arguments])
        : RunAsync(Path.Combine(_postgresBin!, tool), arguments);

    private static async Task RunAsync(string file, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static string? FindExecutable(string name, IEnumerable<string> extraDirectories) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(extraDirectories)
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    private static async Task WaitForPortAsync(int port)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new InvalidOperationException($"Nothing listens on 127.0.0.1:{port} after 10 s.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
