using System.Collections.Immutable;

namespace DarwinGrid.Grains.Campaigns;

public enum CampaignState
{
    Draft = 0,
    Running = 1,
    Paused = 2,
    Completed = 3,
    Cancelled = 4,
    Failed = 5,
}

/// <summary>Progress of one property task across a campaign; units are (candidate, task) predictions.</summary>
[GenerateSerializer, Immutable]
public sealed record TaskProgress(
    [property: Id(0)] string Task,
    [property: Id(1)] long Total,
    [property: Id(2)] long Done,
    [property: Id(3)] long Failed,
    [property: Id(4)] long Cached,
    [property: Id(5)] string? ModelVersion = null,
    [property: Id(6)] string? Error = null);

/// <summary>
/// A campaign's state and counters. <see cref="Total"/>, <see cref="Done"/>, <see cref="Failed"/>
/// and <see cref="Cached"/> count predictions (candidates x tasks); <see cref="Done"/> includes the
/// cached and failed ones, so the campaign is finished when Done == Total.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignStatus(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] CampaignState State,
    [property: Id(3)] long Candidates,
    [property: Id(4)] long Total,
    [property: Id(5)] long Done,
    [property: Id(6)] long Failed,
    [property: Id(7)] long Cached,
    [property: Id(8)] double CandidatesPerSecond,
    [property: Id(9)] TimeSpan? EstimatedRemaining,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] DateTimeOffset? StartedAt,
    [property: Id(12)] DateTimeOffset? FinishedAt,
    [property: Id(13)] ImmutableArray<TaskProgress> Tasks,
    [property: Id(14)] long RejectedCandidates = 0,
    [property: Id(15)] string? Error = null)
{
    public double Fraction => Total == 0 ? 0 : (double)Done / Total;

    public bool IsFinished => State is CampaignState.Completed or CampaignState.Cancelled or CampaignState.Failed;
}

[GenerateSerializer, Immutable]
public sealed record CampaignSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>A candidate the campaign could not screen (malformed composition, unknown element...).</summary>
[GenerateSerializer, Immutable]
public sealed record RejectedCandidate(
    [property: Id(0)] long Row,
    [property: Id(1)] string Input,
    [property: Id(2)] string Reason);
