using System.Collections.Concurrent;
using System.Collections.Immutable;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Training;

namespace DarwinGrid.Web.Training;

/// <summary>
/// Training runs for the training page: every run's status (finished ones are not asked again),
/// the selected run's loss curve and, once it registered a version, that version's held-out metrics.
/// </summary>
public sealed class TrainingModel(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, TrainingRunStatus> _finished = new(StringComparer.Ordinal);

    public ImmutableArray<TrainingRunStatus> Runs { get; private set; } = [];

    public ImmutableArray<ModelVersionInfo> Versions { get; private set; } = [];

    public bool Loaded { get; private set; }

    public string? SelectedId { get; private set; }

    public TrainingRunStatus? Selected => SelectedId is null ? null : Runs.FirstOrDefault(r => r.RunId == SelectedId);

    public ImmutableArray<LossPoint> LossCurve { get; private set; } = [];

    /// <summary>The version the selected run registered (with its metrics), once it has.</summary>
    public ModelVersionInfo? SelectedVersion { get; private set; }

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var summaries = await grains.GetGrain<ITrainingDirectoryGrain>(ITrainingDirectoryGrain.Key).ListAsync().WaitAsync(cancellationToken);
        var statuses = await Task.WhenAll(summaries.Select(async summary =>
        {
            if (_finished.TryGetValue(summary.RunId, out var done))
                return (summary, status: done);
            var status = await grains.GetGrain<ITrainingGrain>(summary.RunId).GetStatusAsync().WaitAsync(cancellationToken);
            if (status.IsFinished)
                _finished[summary.RunId] = status;
            return (summary, status: status);
        }));
        Runs = [.. statuses.OrderByDescending(s => s.summary.CreatedAt).Select(s => s.status)];
        Versions = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).ListAsync().WaitAsync(cancellationToken);
        SelectedId ??= Runs.FirstOrDefault()?.RunId;
        await RefreshSelectedAsync(cancellationToken);
        Loaded = true;
    }

    public async Task SelectAsync(string runId, CancellationToken cancellationToken = default)
    {
        SelectedId = runId;
        LossCurve = [];
        SelectedVersion = null;
        await RefreshSelectedAsync(cancellationToken);
    }

    /// <summary>Starts a run under a new id; returns the id. The grain's objections come back as <see cref="ArgumentException"/>.</summary>
    /// <exception cref="InvalidOperationException">The form still has problems.</exception>
    public async Task<string> StartAsync(TrainingDraft draft, CancellationToken cancellationToken = default)
    {
        if (draft.Problems() is { Count: > 0 } problems)
            throw new InvalidOperationException(string.Join(" ", problems));
        var id = $"web-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..4]}";
        await grains.GetGrain<ITrainingGrain>(id).StartAsync(draft.ToSpec()).WaitAsync(cancellationToken);
        await SelectAsync(id, cancellationToken);
        await RefreshAsync(cancellationToken);
        return id;
    }

    public async Task CancelAsync(string runId, CancellationToken cancellationToken = default)
    {
        await grains.GetGrain<ITrainingGrain>(runId).CancelAsync().WaitAsync(cancellationToken);
        await RefreshAsync(cancellationToken);
    }

    private async Task RefreshSelectedAsync(CancellationToken cancellationToken)
    {
        if (SelectedId is null)
            return;
        var run = grains.GetGrain<ITrainingGrain>(SelectedId);
        // A finished run's curve and version do not change: fetch them once.
        if (Selected is { IsFinished: true } && !LossCurve.IsEmpty && (SelectedVersion is not null || Selected.VersionId is null))
            return;
        LossCurve = await run.GetLossCurveAsync().WaitAsync(cancellationToken);
        if (Selected?.VersionId is { } version)
            SelectedVersion = await grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key).GetAsync(version).WaitAsync(cancellationToken);
    }
}
