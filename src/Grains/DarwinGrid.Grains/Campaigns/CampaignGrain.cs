using Orleans.Placement;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Grains.GrainSupport;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Storage;
using DarwinGrid.Grains.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// A screening campaign: validates and stores the definition and candidates, resolves a model
/// version per task, hands each task to a <see cref="TaskGrain"/>, gathers their progress, ranks
/// the results when all are in, and answers queries from the results store. Long work (reading a
/// CSV or a generator, ranking) runs off the grain's calls; a keep-alive timer checks on the task
/// grains while the campaign runs, so a task grain lost with a silo is re-activated.
/// </summary>
// Spread over every silo of a cluster (the default, resource-optimised placement bunches them up).
[RandomPlacement]
public sealed partial class CampaignGrain(
    [PersistentState("campaign")] IPersistentState<CampaignGrainState> state,
    IResultStore store,
    CandidateSources sources,
    IOptions<DarwinGridGrainOptions> options,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain
{
    private const int MaxPageSize = 10_000;

    private readonly CampaignProgress _progress = new();
    private Task? _ingesting;
    private Task? _finishing;
    private IGrainTimer? _check;
    private readonly StatusFeed _feed = new();
    private StateWriter? _writer;

    private CampaignGrainState S => state.State;
    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (S.Definition is null || S.TaskVersions.Count == 0)
            return;
        // Counters come from the results table, so a re-activated campaign shows the truth at once.
        foreach (var (task, version) in S.TaskVersions)
        {
            var counts = await store.GetTaskCountsAsync(Id, task, version, cancellationToken);
            _progress.Restore(new TaskProgress(task, S.Candidates, counts.Done, counts.Failed, counts.Cached, version));
        }
        if (S.State == CampaignState.Running)
            EnsureDriving();
    }

    public async Task<CampaignStatus> CreateAsync(CampaignDefinition definition)
    {
        if (S.Definition is not null)
            throw new InvalidOperationException($"Campaign '{Id}' already exists ({S.State}); choose another id.");
        CampaignDefinition normalized;
        try
        {
            normalized = CampaignDefinitionValidator.Normalize(definition, sources.CreateGenerator);
            await CheckGeneratorCapAsync(normalized.Candidates);
        }
        catch (ArgumentException)
        {
            ForgetIfUnknown(); // a refused definition leaves no activation behind
            throw;
        }
        S.Definition = normalized.Candidates.Kind == CandidateSourceKind.List
            ? normalized with { Candidates = normalized.Candidates with { Compositions = [] } }
            : normalized;
        S.State = CampaignState.Draft;
        S.CreatedAt = DateTimeOffset.UtcNow;
        if (normalized.Candidates.Kind == CandidateSourceKind.List)
            await AppendCoreAsync(normalized.Candidates.Compositions);
        await WriteAsync();
        await GrainFactory.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).AddAsync(new CampaignSummary(Id, normalized.Name, S.CreatedAt));
        logger.LogInformation("Campaign {Id} '{Name}' created: {Candidates} candidates, {Rejected} rejected, tasks {Tasks}",
            Id, normalized.Name, S.Candidates, S.Rejected, string.Join(", ", normalized.Tasks));
        return Status();
    }

    public async Task<ImmutableArray<RejectedCandidate>> AppendCandidatesAsync(ImmutableArray<string> compositions)
    {
        var definition = RequireDefinition();
        if (S.State != CampaignState.Draft || definition.Candidates.Kind != CandidateSourceKind.List)
            throw new InvalidOperationException($"Campaign '{Id}' takes appended candidates only while it is a draft with a list source (it is {S.State}, source {definition.Candidates.Kind}).");
        var rejected = await AppendCoreAsync(compositions.IsDefault ? [] : compositions);
        await WriteAsync();
        return rejected;
    }

    private async Task<ImmutableArray<RejectedCandidate>> AppendCoreAsync(IReadOnlyList<string> compositions)
    {
        CheckListCap(compositions.Count);
        var rows = new CandidateRows(store, Id, S.InputRows, S.Candidates);
        foreach (var composition in compositions)
            await rows.AddAsync(composition, CancellationToken.None);
        await rows.FlushAsync(CancellationToken.None);
        S.InputRows = rows.NextRow;
        S.Candidates = rows.NextIndex;
        S.Rejected += rows.Rejected;
        return [.. rows.RejectedInThisPass];
    }

    public async Task<CampaignStatus> StartAsync()
    {
        var definition = RequireDefinition();
        switch (S.State)
        {
            case CampaignState.Running or CampaignState.Paused:
                return Status();
            case CampaignState.Completed or CampaignState.Cancelled or CampaignState.Failed:
                throw new InvalidOperationException($"Campaign '{Id}' is {S.State}; it cannot be started again.");
        }
        var isList = definition.Candidates.Kind == CandidateSourceKind.List;
        if (isList && S.Candidates == 0)
        {
            throw new ArgumentException(S.Rejected == 0
                ? $"Campaign '{Id}' has no candidates; the list is empty."
                : $"Campaign '{Id}' has no candidates; all {S.Rejected} rows were rejected (see the rejected rows).");
        }

        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var versions = await CampaignModelVersions.ResolveAsync(definition, registry);
        foreach (var version in versions.Values.Distinct())
            await registry.PinAsync(version, Id);

        S.TaskVersions = versions;
        S.State = CampaignState.Running;
        S.StartedAt = DateTimeOffset.UtcNow;
        S.Ingested = isList;
        await WriteAsync();
        _progress.StartTasks(versions, S.Candidates);
        logger.LogInformation("Campaign {Id} started with {Versions}", Id, string.Join(", ", versions.Select(v => $"{v.Key}={v.Value}")));
        EnsureDriving();
        _feed.Signal();
        return Status();
    }

    // Pause, resume and cancel are passed on to the tasks again when the campaign is already in that
    // state: a task activation that lost the first call (retired after a silo loss, its write refused)
    // gets it from the client's retry. The tasks ignore a call that changes nothing.
    public async Task<CampaignStatus> PauseAsync()
    {
        RequireDefinition();
        if (S.State is not (CampaignState.Running or CampaignState.Paused))
            throw new InvalidOperationException($"Campaign '{Id}' is {S.State}; only a running campaign can be paused.");
        if (S.State == CampaignState.Running)
        {
            S.State = CampaignState.Paused;
            await WriteAsync();
        }
        if (S.Ingested)
            await Task.WhenAll(TaskGrains().Select(t => t.Grain.PauseAsync()));
        _feed.Signal();
        return Status();
    }

    public async Task<CampaignStatus> ResumeAsync()
    {
        RequireDefinition();
        if (S.State is not (CampaignState.Running or CampaignState.Paused))
            throw new InvalidOperationException($"Campaign '{Id}' is {S.State}; only a paused campaign can be resumed.");
        if (S.State == CampaignState.Paused)
        {
            S.State = CampaignState.Running;
            await WriteAsync();
        }
        if (S.Ingested)
            await Task.WhenAll(TaskGrains().Select(t => t.Grain.ResumeAsync()));
        EnsureDriving();
        _feed.Signal();
        return Status();
    }

    public async Task<CampaignStatus> CancelAsync()
    {
        RequireDefinition();
        StopIngestion();
        if (S.State == CampaignState.Cancelled && S.Ingested)
            await Task.WhenAll(TaskGrains().Select(t => t.Grain.CancelAsync()));
        if (Status().IsFinished)
            return Status();
        var wasStarted = S.State != CampaignState.Draft;
        S.State = CampaignState.Cancelled;
        S.FinishedAt = DateTimeOffset.UtcNow;
        await WriteAsync();
        if (wasStarted && S.Ingested)
            await Task.WhenAll(TaskGrains().Select(t => t.Grain.CancelAsync()));
        await ReleaseAsync();
        _feed.Signal();
        return Status();
    }

    public Task<CampaignStatus> GetStatusAsync()
    {
        RequireDefinition();
        return Task.FromResult(Status());
    }

    public Task<CampaignDefinition?> GetDefinitionAsync()
    {
        ForgetIfUnknown();
        return Task.FromResult(S.Definition);
    }

    public async Task<ImmutableArray<RejectedCandidate>> GetRejectedAsync(int limit = 1000)
    {
        RequireDefinition();
        return [.. await store.ReadRejectedAsync(Id, 0, Math.Clamp(limit, 0, MaxPageSize))];
    }

    private CampaignDefinition RequireDefinition()
    {
        ForgetIfUnknown();
        return S.Definition ?? throw new InvalidOperationException($"Campaign '{Id}' does not exist; create it first.");
    }

    // Clients look ids up in the directory first (CampaignLookup); should an unknown id reach a
    // campaign anyway, its empty activation goes at once instead of living until idle collection.
    private void ForgetIfUnknown()
    {
        if (S.Definition is null)
            DeactivateOnIdle();
    }

    /// <summary>Calls, the check timer (interleaving), the ingestion and the finishing all write: one write at a time.</summary>
    private Task WriteAsync() => (_writer ??= new StateWriter(() => state.WriteStateAsync())).WriteAsync();

    private async Task ReleaseAsync()
    {
        _check?.Dispose();
        _check = null;
        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        foreach (var version in S.TaskVersions.Values.Distinct())
            await registry.UnpinAsync(version, Id);
        await GrainFactory.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).MarkFinishedAsync(Id);
    }

    private CampaignStatus Status() => _progress.Status(Id, S, CandidatesSoFar);

    public async IAsyncEnumerable<CampaignStatus> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        RequireDefinition();
        var statuses = _feed.WatchAsync(Status, (last, now) => last.State != now.State || last.Done != now.Done || last.Candidates != now.Candidates,
            now => now.IsFinished, TimeSpan.FromSeconds(1), cancellationToken);
        await foreach (var status in statuses)
            yield return status;
    }
}
