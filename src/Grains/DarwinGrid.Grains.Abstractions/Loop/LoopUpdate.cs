using System.Collections.Immutable;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// How to learn from the lab: a LoRA run of <paramref name="Steps"/> optimizer steps on the
/// campaign's model version; <paramref name="Preset"/> names the trainer recipe (default: the one
/// the version was trained with, from its manifest, else <c>mini</c>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoopUpdateRequest(
    [property: Id(0)] int Steps = LoopUpdateRequest.DefaultSteps,
    [property: Id(1)] string? Preset = null,
    [property: Id(2)] string? RequestedBy = null,
    [property: Id(3)] int Threads = 0)
{
    public const int DefaultSteps = 60;
}

public enum LoopUpdateState
{
    Running = 0,
    Completed = 1,
    Failed = 2,
    Cancelled = 3,
}

/// <summary>
/// One update: the training run, the version it started from and the one it registered, the lab
/// records it trained on and held out, and the held-out part's scores before and after
/// (task → metric → value, as registered with the version).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoopUpdate(
    [property: Id(0)] int Number,
    [property: Id(1)] string RunId,
    [property: Id(2)] string ParentVersion,
    [property: Id(3)] LoopUpdateState State,
    [property: Id(4)] DateTimeOffset StartedAt,
    [property: Id(5)] string StartedBy,
    [property: Id(6)] int TrainRecords,
    [property: Id(7)] int HeldOutRecords,
    [property: Id(8)] int DatasetVersion,
    [property: Id(9)] string? NewVersion = null,
    [property: Id(10)] ImmutableDictionary<string, ImmutableDictionary<string, double>>? Scores = null,
    [property: Id(11)] string? Error = null,
    [property: Id(12)] int Step = 0,
    [property: Id(13)] int TotalSteps = 0);

/// <summary>A screening round of the campaign: which version screened it, when it switched to it, and the update that made the version.</summary>
[GenerateSerializer, Immutable]
public sealed record ScreeningRound(
    [property: Id(0)] int Number,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] DateTimeOffset StartedAt,
    [property: Id(3)] int? Update);

/// <summary>
/// The loop at a glance. <see cref="Discovery"/> is the discovery curve: per proposal round, the
/// proposed candidates measured so far, how many of them are hits (meet every campaign filter, as
/// measured) and the best measured objective value up to that round.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoopOverview(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] ImmutableArray<LoopProposalSummary> Proposals,
    [property: Id(2)] ImmutableArray<LabDatasetInfo> Datasets,
    [property: Id(3)] ImmutableArray<LoopUpdate> Updates,
    [property: Id(4)] ImmutableArray<ScreeningRound> Screenings,
    [property: Id(5)] ImmutableArray<DiscoveryPoint> Discovery,
    [property: Id(6)] int MeasuredRows,
    [property: Id(7)] string? Objective);

/// <summary>A proposal without its candidates.</summary>
[GenerateSerializer, Immutable]
public sealed record LoopProposalSummary(
    [property: Id(0)] int Round,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] string CreatedBy,
    [property: Id(3)] ProposalRule Rule,
    [property: Id(4)] string ModelVersion,
    [property: Id(5)] int Count,
    [property: Id(6)] string? Note);

[GenerateSerializer, Immutable]
public sealed record DiscoveryPoint(
    [property: Id(0)] int Round,
    [property: Id(1)] int Measured,
    [property: Id(2)] int Hits,
    [property: Id(3)] int CumulativeHits,
    [property: Id(4)] double? BestMeasured);
