using System.Diagnostics;
using System.Globalization;

namespace DarwinGrid.TestSupport.Servers;

/// <summary>
/// A throwaway <c>redis-server</c> for tests on a free loopback port, without persistence, run as a
/// child process (stopped by its PID on dispose).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(string binary, string directory, int port)
    {
        Binary = binary;
        Directory = directory;
        Port = port;
    }

    public string Binary { get; }

    public string Directory { get; }

    public int Port { get; }

    public string LogFile => Path.Combine(Directory, "redis.log");

    /// <summary>The StackExchange.Redis connection string.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static string? MissingReason =>
        ExternalProcess.FindOnPath("redis-server") is null ? "redis-server is not installed: apt-get install -y redis-server" : null;

    public static async Task<RedisServer> StartAsync()
    {
        var binary = ExternalProcess.FindOnPath("redis-server") ?? throw new InvalidOperationException(MissingReason);
        var server = new RedisServer(binary, System.IO.Directory.CreateTempSubdirectory("darwingrid-redis-").FullName, FreePort.Next());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        _process = ExternalProcess.Start(Binary,
            ["--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", Directory,
             "--save", "", "--appendonly", "no", "--daemonize", "no"], LogFile);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!FreePort.IsListening(Port))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"redis-server did not start on port {Port}: {await File.ReadAllTextAsync(LogFile)}");
            await Task.Delay(50);
        }
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
