using System.Collections.Immutable;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Loop;

/// <summary>The grain API's spelling of the domain's acquisition rules (same names and values).</summary>
public enum ProposalRule
{
    /// <summary>Probability of success: every campaign filter met.</summary>
    Poi = 0,
    /// <summary>Expected improvement over the best measured value of the objective.</summary>
    Ei = 1,
    /// <summary>Upper confidence bound of the objective (the optimistic end of the 90% interval).</summary>
    Ucb = 2,
}

/// <summary>
/// What to propose: <paramref name="Count"/> candidates by <paramref name="Rule"/>, with a penalty of
/// <paramref name="Diversity"/> × (similarity to the closest pick so far) on the normalised score.
/// <paramref name="Objective"/>: the task EI and UCB score (default: the campaign's first objective on a numeric task).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ProposalRequest(
    [property: Id(0)] int Count,
    [property: Id(1)] ProposalRule Rule,
    [property: Id(2)] double Diversity = ProposalRequest.DefaultDiversity,
    [property: Id(3)] string? Objective = null,
    [property: Id(4)] string? RequestedBy = null)
{
    public const double DefaultDiversity = 0.3;
}

/// <summary>
/// A prediction as a proposal keeps it: the point estimate (median), the central interval, the
/// class and its probability, and the distribution's points when it has at most
/// <see cref="LoopLimits.MaxStoredPoints"/>.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PredictedSummary(
    [property: Id(0)] string Task,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] double? Median,
    [property: Id(3)] double? Low,
    [property: Id(4)] double? High,
    [property: Id(5)] string? Label,
    [property: Id(6)] double? Probability,
    [property: Id(7)] PredictedDistribution? Distribution);

/// <summary>One proposed candidate: its acquisition value, its similarity to the closest earlier pick, and its predictions.</summary>
[GenerateSerializer, Immutable]
public sealed record ProposedCandidate(
    [property: Id(0)] int Rank,
    [property: Id(1)] string Composition,
    [property: Id(2)] string Input,
    [property: Id(3)] double Acquisition,
    [property: Id(4)] double MaxSimilarity,
    [property: Id(5)] double? SuccessProbability,
    [property: Id(6)] ImmutableArray<PredictedSummary> Predictions);

/// <summary>
/// A stored proposal (round N is the N-th proposal). <see cref="ModelVersions"/>: task → the version
/// whose predictions were scored. <see cref="BestMeasured"/>: the incumbent EI improves on (null for
/// the other rules). <see cref="Considered"/>: candidates with a usable prediction that were not measured yet.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record LoopProposal(
    [property: Id(0)] int Round,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] string CreatedBy,
    [property: Id(3)] ProposalRule Rule,
    [property: Id(4)] ImmutableDictionary<string, string> ModelVersions,
    [property: Id(5)] string? Objective,
    [property: Id(6)] double? BestMeasured,
    [property: Id(7)] double Diversity,
    [property: Id(8)] long Considered,
    [property: Id(9)] int ExcludedMeasured,
    [property: Id(10)] ImmutableArray<ProposedCandidate> Candidates,
    [property: Id(11)] string? Note = null)
{
    /// <summary>The versions as one label ("v1", or "band_gap=v1, is_metal=v2" when they differ).</summary>
    public string ModelVersionLabel => ModelVersions.Values.Distinct().Count() == 1
        ? ModelVersions.Values.First()
        : string.Join(", ", ModelVersions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
