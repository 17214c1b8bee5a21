using System.Globalization;

namespace DarwinGrid.TestSupport.Servers;

/// <summary>
/// A throwaway PostgreSQL server for tests: <c>initdb</c> in a temp directory, listening on a free
/// loopback port (and a socket in the same directory), trust authentication, run as user
/// <c>postgres</c> when the tests run as root (the server refuses root). Not durable against a machine crash unless asked
/// (fsync off), which is what tests want; benchmarks pass <c>durable: true</c>. Disposing stops it
/// and deletes the directory.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";

    private readonly string _bin;
    private readonly string? _runAs;

    private PostgresServer(string bin, string directory, int port, string? runAs)
    {
        _bin = bin;
        Directory = directory;
        Port = port;
        _runAs = runAs;
    }

    public string Directory { get; }

    public int Port { get; }

    private string DataDirectory => Path.Combine(Directory, "data");

    public string LogFile => Path.Combine(Directory, "server.log");

    /// <summary>The folder with initdb, pg_ctl and postgres, or null when PostgreSQL is not installed.</summary>
    public static string? BinDirectory
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DARWINGRID_PG_BIN") is { Length: > 0 } configured)
                return configured;
            const string debian = "/usr/lib/postgresql";
            if (System.IO.Directory.Exists(debian))
            {
                var newest = System.IO.Directory.GetDirectories(debian)
                    .Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                    .OrderByDescending(d => int.TryParse(Path.GetFileName(d), CultureInfo.InvariantCulture, out var v) ? v : 0)
                    .FirstOrDefault();
                if (newest is not null)
                    return Path.Combine(newest, "bin");
            }
            return ExternalProcess.FindOnPath("initdb") is { } initdb ? Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(true)?.FullName ?? initdb) : null;
        }
    }

    /// <summary>Why a server cannot be started here, or null when it can.</summary>
    public static string? MissingReason =>
        BinDirectory is not { } bin || !File.Exists(Path.Combine(bin, "initdb")) || !File.Exists(Path.Combine(bin, "pg_ctl"))
            ? "PostgreSQL server binaries (initdb, pg_ctl) are not installed: apt-get install -y postgresql"
        : ExternalProcess.IsRoot && ExternalProcess.FindOnPath("runuser") is null ? "running as root needs 'runuser' to start PostgreSQL as user postgres"
        : null;

    public static async Task<PostgresServer> StartAsync(bool durable = false)
    {
        var bin = BinDirectory ?? throw new InvalidOperationException(MissingReason);
        var directory = System.IO.Directory.CreateTempSubdirectory("darwingrid-pg-").FullName;
        var runAs = ExternalProcess.IsRoot ? SuperUser : null;
        if (runAs is not null)
            await ExternalProcess.RunAsync("chown", ["-R", $"{runAs}:{runAs}", directory]);
        var server = new PostgresServer(bin, directory, FreePort.Next(), runAs);
        await ExternalProcess.RunAsync(Path.Combine(bin, "initdb"),
            ["-D", server.DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"], runAs);
        var settings = new List<string>
        {
            $"port = {server.Port}", "listen_addresses = '127.0.0.1'", $"unix_socket_directories = '{directory}'",
            "max_connections = 200", "shared_buffers = 64MB",
        };
        // fsync off survives a killed server (the OS still has the data), not a machine crash; commits
        // stay synchronous, so a committed transaction is never lost when a test kills the server.
        if (!durable)
            settings.AddRange(["fsync = off", "full_page_writes = off"]);
        await File.AppendAllLinesAsync(Path.Combine(server.DataDirectory, "postgresql.conf"), settings);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>The connection string of a database on this server.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={SuperUser};Database={database}";

    /// <summary>Creates a fresh database (a new name unless given) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t" + Guid.NewGuid().ToString("N")[..16];
        await ExternalProcess.RunAsync(Path.Combine(_bin, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser, name]);
        return ConnectionString(name);
    }

    /// <summary>Runs SQL through psql and returns its unaligned output.</summary>
    public Task<string> QueryAsync(string database, string sql) =>
        ExternalProcess.RunAsync(Path.Combine(_bin, "psql"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", SuperUser, "-d", database, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql]);

    public Task StartAgainAsync() =>
        ExternalProcess.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-l", LogFile, "-w", "-t", "60", "start"], _runAs, TimeSpan.FromSeconds(70));

    /// <summary>Stops the server: <c>immediate</c> is a crash (no checkpoint, clients cut off), otherwise a fast shutdown.</summary>
    public Task StopAsync(bool immediate = false) =>
        ExternalProcess.RunAsync(Path.Combine(_bin, "pg_ctl"), ["-D", DataDirectory, "-m", immediate ? "immediate" : "fast", "-w", "-t", "60", "stop"], _runAs, TimeSpan.FromSeconds(70));

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync(immediate: true);
        }
        catch (Exception)
        {
            // Already stopped.
        }
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
