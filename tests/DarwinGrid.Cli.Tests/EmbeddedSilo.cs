using System.Globalization;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;
using Microsoft.Extensions.Hosting;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// A real silo (the one <c>darwin serve</c> runs) started in this process on free ports over a temp
/// home, for the <c>--cluster</c> verbs; small engine settings so tiny models answer fast.
/// </summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly int _gatewayPort;

    private EmbeddedSilo(IHost host, int gatewayPort, string home)
    {
        _host = host;
        _gatewayPort = gatewayPort;
        Home = home;
    }

    public string Home { get; }

    public IServiceProvider Services => _host.Services;

    public static async Task<EmbeddedSilo> StartAsync(string homePrefix)
    {
        var data = SharedData.Root;
        var home = Directory.CreateTempSubdirectory(homePrefix).FullName;
        var gatewayPort = DarwinHost.FreePort();
        var host = DarwinHost.CreateSilo(new Dictionary<string, string?>
        {
            ["DarwinGrid:Home"] = home,
            ["DarwinGrid:DataDir"] = data,
            ["DarwinGrid:Engine:SeqMax"] = "16",
            ["DarwinGrid:Engine:Threads"] = "1",
            ["DarwinGrid:Engine:MaxAnswerTokens"] = "6",
            ["DarwinGrid:Training:ProgressInterval"] = "00:00:00.200",
            ["Logging:LogLevel:Default"] = "Warning",
        }, (DarwinHost.FreePort(), gatewayPort));
        await host.StartAsync();
        return new EmbeddedSilo(host, gatewayPort, home);
    }

    /// <summary>The arguments of a <c>darwin</c> verb aimed at this silo.</summary>
    public string[] Grid(params string[] args) => [.. args, "--cluster", "--gateway-port", _gatewayPort.ToString(CultureInfo.InvariantCulture)];

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Home, recursive: true);
    }
}
