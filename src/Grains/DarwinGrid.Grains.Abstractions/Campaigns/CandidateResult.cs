using System.Collections.Immutable;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// One candidate with its predictions per task and its place in the ranking.
/// <see cref="SuccessProbability"/>: the probability that it passes every campaign filter, from the
/// predicted distributions (null when the campaign has no filters).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CandidateResult(
    [property: Id(0)] string Composition,
    [property: Id(1)] string Input,
    [property: Id(2)] ImmutableDictionary<string, Prediction> Predictions,
    [property: Id(3)] bool PassesFilters,
    [property: Id(4)] double? Score,
    [property: Id(5)] int? ParetoRank,
    [property: Id(6)] double? SuccessProbability = null);

public enum ResultSortKey
{
    Score = 0,
    Composition = 1,
    /// <summary>By the value (or positive-label probability) of <see cref="ResultQuery.SortTask"/>.</summary>
    Task = 2,
    ParetoRank = 3,
}

[GenerateSerializer, Immutable]
public sealed record ResultQuery(
    [property: Id(0)] int Page = 0,
    [property: Id(1)] int PageSize = 50,
    [property: Id(2)] ResultSortKey SortBy = ResultSortKey.Score,
    [property: Id(3)] string? SortTask = null,
    [property: Id(4)] bool Descending = true,
    [property: Id(5)] ImmutableArray<PropertyFilter> Filters = default,
    [property: Id(6)] bool OnlyPassingFilters = false,
    [property: Id(7)] string? CompositionContains = null);

[GenerateSerializer, Immutable]
public sealed record ResultPage(
    [property: Id(0)] ImmutableArray<CandidateResult> Items,
    [property: Id(1)] long TotalCount,
    [property: Id(2)] int Page,
    [property: Id(3)] int PageSize);
