using System.Collections.Immutable;
using System.Text.Json.Serialization;
using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Api;

/// <summary><c>POST /api/campaigns</c>: the new campaign's status and the rows that were not compositions (none: those are a 400).</summary>
public sealed record CampaignCreated(CampaignStatus Status, ImmutableArray<RejectedCandidate> Rejected);

/// <summary>One page of a campaign's results; <see cref="Page"/> counts from 1.</summary>
public sealed record ResultsPage(int Page, int PageSize, long TotalCount, int TotalPages, ImmutableArray<CandidateResult> Items);

/// <summary>
/// <c>POST /api/predict</c>: one property for up to <see cref="PredictEndpoints.MaxCompositions"/> compositions,
/// answered synchronously by a model grain (<see cref="Model"/>: a registered version; default: the task's default;
/// <see cref="Estimate"/>: median (default), mean or greedy).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record PredictRequest(string? Task, string[]? Compositions, string? Model = null, string? Estimate = null);

public sealed record PredictResponse(string Task, string ModelVersion, ImmutableArray<PredictedComposition> Predictions, string Estimate = "median");

/// <summary>
/// A prediction for one input, in the order given: a value (regression) or a label with probabilities
/// (classification), or an error. A regression answer read from the model's distribution also has its
/// central interval (<see cref="Low"/>, <see cref="High"/>) and the distribution.
/// </summary>
public sealed record PredictedComposition(
    string Input,
    string Composition,
    double? Value,
    string? Label,
    double? Probability,
    ImmutableDictionary<string, double>? LabelProbabilities,
    string RawAnswer,
    string? Error,
    double? Low = null,
    double? High = null,
    Grains.Models.PredictedDistribution? Distribution = null);

/// <summary><c>GET /api/models</c>: the registered versions and the default per task (<c>*</c>: any task).</summary>
public sealed record ModelsResponse(ImmutableArray<Grains.Models.ModelVersionInfo> Versions, ImmutableDictionary<string, string> Defaults);
