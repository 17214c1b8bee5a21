using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Hosting;

/// <summary>How this silo serves the grains: its devices, how its engines run, how task grains pace work.</summary>
public sealed class DarwinGridGrainOptions
{
    /// <summary>The configuration section a host binds these options from (<c>DarwinGrid:Engine</c>, <c>:Screening</c>, <c>:Training</c>).</summary>
    public const string SectionName = "DarwinGrid";

    /// <summary>Devices this silo offers model grains: <c>cpu</c>, <c>cpu0</c>, <c>gpu0</c>... (kind from the prefix).</summary>
    public List<string> Devices { get; set; } = ["cpu0"];

    /// <summary>
    /// Further silo metadata (role, devices, accelerator) published with the training flag in one
    /// <c>UseSiloMetadata</c> call: the host must not call it a second time.
    /// </summary>
    public Dictionary<string, string> SiloMetadata { get; set; } = [];

    /// <summary>Where relative model paths of registered versions are resolved.</summary>
    public string? ModelStoreDirectory { get; set; }

    /// <summary>The shared data folder (Magpie oxidation states for charge-neutral generators); null finds it.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>Model versions registered at silo start (e.g. the cached darwin-mini), optionally as the default for every task.</summary>
    public List<StartupModel> StartupModels { get; set; } = [];

    public EngineHostOptions Engine { get; set; } = new();

    public ScreeningOptions Screening { get; set; } = new();

    public TrainingHostOptions Training { get; set; } = new();
}

/// <summary>Whether this silo trains, and how training grains report.</summary>
public sealed class TrainingHostOptions
{
    /// <summary>Published as silo metadata <c>darwingrid.can-train</c>; training grains are placed only where it is true.</summary>
    public bool CanTrain { get; set; } = true;

    /// <summary>How often a running training grain stores its progress and tells watchers.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Step points kept in a run's stored loss curve (thinned evenly beyond this; epoch points always kept).</summary>
    public int MaxLossPoints { get; set; } = 2000;
}

/// <summary>A model version to register when the silo starts.</summary>
public sealed record StartupModel(ModelVersionInfo Version, bool MakeDefault);

/// <summary>The inference engine of each model grain on this silo.</summary>
public sealed class EngineHostOptions
{
    public int? Threads { get; set; }
    public int SeqMax { get; set; } = 64;
    public uint ContextSize { get; set; } = 4096;
    /// <summary>
    /// Most tokens a numeric answer may take. A number the cap cuts short is an error, never a
    /// truncated value, so the default fits the longest answers of the shared data (an opv value
    /// such as " 2.6089602587020866e-09" is 22 tokens with split digits), as the predictor's own default does.
    /// </summary>
    public int MaxAnswerTokens { get; set; } = 32;
    public int QueueCapacity { get; set; } = 512;
}

/// <summary>How task grains cut and pace a campaign, and how often progress moves.</summary>
public sealed class ScreeningOptions
{
    /// <summary>Candidates per batch sent to a model grain.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Batches a task grain keeps in flight (enough to keep an engine's slots full).</summary>
    public int MaxBatchesInFlight { get; set; } = 6;

    /// <summary>
    /// How long a batch keeps retrying failed model calls (other model grains, backing off) before its
    /// predictions are recorded as failed. Long enough to ride out a silo failure and re-placement.
    /// </summary>
    public TimeSpan RetryWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First pause between retries; it grows per attempt up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest a model call may take before it is abandoned and retried elsewhere.</summary>
    public TimeSpan ModelCallTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a task grain writes its cursor and reports progress while running.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often a running campaign checks on its task grains (re-activating any that died with a silo).</summary>
    public TimeSpan CampaignCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The most candidates one campaign may hold (generators are counted at create, lists at append,
    /// CSV files while they are read); see <see cref="Campaigns.CampaignLimits.DefaultMaxCandidates"/>.
    /// </summary>
    public long MaxCandidatesPerCampaign { get; set; } = Campaigns.CampaignLimits.DefaultMaxCandidates;

    /// <summary>How long counting a generator's candidates at create may take before the campaign is refused (give it a limit).</summary>
    public TimeSpan GeneratorCountTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often each silo re-activates unfinished campaigns (after a crash or restart).</summary>
    public TimeSpan KeeperInterval { get; set; } = TimeSpan.FromSeconds(5);
}
