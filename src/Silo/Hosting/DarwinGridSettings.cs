using DarwinGrid.Grains.Hosting;
using Microsoft.Extensions.Configuration;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// The <c>DarwinGrid</c> configuration section (appsettings.json next to the binary, then
/// environment variables such as <c>DarwinGrid__DatabasePath</c>; <c>DARWINGRID_HOME</c> sets the
/// home folder). Unset paths default under the home folder.
/// </summary>
public sealed class DarwinGridSettings
{
    public const string SectionName = "DarwinGrid";
    public const string HomeVariable = "DARWINGRID_HOME";

    /// <summary>The <c>DarwinGrid</c> section of <paramref name="configuration"/>, bound (defaults when it is absent).</summary>
    /// <exception cref="ArgumentException">A value does not convert to its setting's type; the message names the key.</exception>
    public static DarwinGridSettings From(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(SectionName).Get<DarwinGridSettings>() ?? new DarwinGridSettings();
        }
        catch (InvalidOperationException e)
        {
            // The binder's message names the key ("Failed to convert configuration value at 'DarwinGrid:SiloPort' ...").
            throw new ArgumentException(e.InnerException is { } inner ? $"{e.Message} {inner.Message}" : e.Message, e);
        }
    }

    /// <summary>Where the database and the model store live; default <c>DARWINGRID_HOME</c>, else <c>~/.local/share/darwingrid</c>.</summary>
    public string? Home { get; set; }

    /// <summary>The shared data folder (null: DARWINGRID_DATA or shared/data found above the working directory).</summary>
    public string? DataDir { get; set; }

    /// <summary>The SQLite file for grain state and results; default <c>{Home}/darwingrid.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Where model files are kept and relative model paths resolve; default <c>{Home}/models</c>.</summary>
    public string? ModelStoreDir { get; set; }

    /// <summary>Devices this silo offers (<c>cpu0</c>, <c>gpu0</c>...); empty means one CPU device. (Configuration binding appends to a list, so the default is applied when resolving.)</summary>
    public List<string> Devices { get; set; } = [];

    public List<string> ResolvedDevices => Devices.Count == 0 ? ["cpu0"] : [.. Devices.Distinct(StringComparer.Ordinal)];

    /// <summary>This silo's name in the cluster (model grain keys name it); default machine name + silo port.</summary>
    public string? SiloName { get; set; }

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>Where the co-hosted dashboard will listen (<c>darwin serve --urls</c>); unused until it lands.</summary>
    public string? Urls { get; set; }

    public EngineHostOptions Engine { get; set; } = new();

    /// <summary>Membership: <c>Localhost</c> (one silo, the default) or <c>Redis</c>.</summary>
    public ClusterSettings Cluster { get; set; } = new();

    /// <summary>Grain state and results: <c>Sqlite</c> (the file at <see cref="DatabasePath"/>, the default) or <c>PostgreSql</c>.</summary>
    public StorageSettings Storage { get; set; } = new();

    /// <summary>This silo's role (cpu or gpu).</summary>
    public SiloSettings Silo { get; set; } = new();

    public ScreeningOptions Screening { get; set; } = new();

    /// <summary>Whether this silo trains (<c>DarwinGrid:Training:CanTrain</c>, default true) and how runs report.</summary>
    public TrainingHostOptions Training { get; set; } = new();

    /// <summary>The retry rule of this process's grain calls (<see cref="ClusterSettings.ClientRetryWindow"/>, <see cref="ClusterSettings.ClientCallTimeout"/>).</summary>
    public Grains.Clients.GrainCallRetry ClientRetry() => new(Cluster.ClientRetryWindow, Cluster.ClientCallTimeout);

    public string ResolvedHome => Home is { Length: > 0 } home ? home
        : Environment.GetEnvironmentVariable(HomeVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "darwingrid");

    public string ResolvedDatabasePath => DatabasePath is { Length: > 0 } path ? path : Path.Combine(ResolvedHome, "darwingrid.db");

    public string ResolvedModelStore => ModelStoreDir is { Length: > 0 } dir ? dir : Path.Combine(ResolvedHome, "models");

    public string ResolvedSiloName => SiloName is { Length: > 0 } name ? name : $"{Environment.MachineName}-{SiloPort}";

    /// <summary>The cached darwin-mini model the trainer produces; registered as the default on silo start when present.</summary>
    public string DarwinMiniPath => Path.Combine(ResolvedModelStore, "darwin-mini.gguf");
}
