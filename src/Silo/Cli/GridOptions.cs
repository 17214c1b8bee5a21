using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

/// <summary>Options of the verbs that talk to the grid: where its home is, and whether to join a running silo.</summary>
public static class GridOptions
{
    public static Option<bool> Cluster() => new("--cluster")
    {
        Description = "Connect to a running silo ('darwin serve') on localhost instead of starting one in this process.",
    };

    public static Option<string?> Home() => new("--home")
    {
        Description = "DarwinGrid's home folder (database, model store); default DARWINGRID_HOME or ~/.local/share/darwingrid.",
    };

    public static Option<int?> GatewayPort() => new("--gateway-port")
    {
        Description = "The running silo's gateway port for --cluster (default: DarwinGrid:GatewayPort, 30000).",
    };

    /// <summary>Configuration overrides from the options given (only those given, so appsettings and the environment still apply).</summary>
    public static IReadOnlyDictionary<string, string?> Overrides(ParseResult result, Option<string?> home, Option<string?>? dataDir = null,
        Option<int?>? gatewayPort = null)
    {
        var overrides = new Dictionary<string, string?>();
        if (gatewayPort is not null && result.GetValue(gatewayPort) is { } port)
            overrides["DarwinGrid:GatewayPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (result.GetValue(home) is { Length: > 0 } homeDir)
            overrides["DarwinGrid:Home"] = Path.GetFullPath(homeDir);
        if (dataDir is not null && result.GetValue(dataDir) is { Length: > 0 } data)
            overrides["DarwinGrid:DataDir"] = Path.GetFullPath(data);
        return overrides;
    }
}
