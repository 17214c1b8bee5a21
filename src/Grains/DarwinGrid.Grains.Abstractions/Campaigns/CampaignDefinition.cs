using System.Collections.Immutable;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// What a campaign screens, for which properties, and how it ranks the results.
/// <see cref="Estimate"/>: which number a regression answer reports (median of the model's
/// distribution by default; campaigns stored before it existed read as median).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignDefinition(
    [property: Id(0)] string Name,
    [property: Id(1)] CandidateSource Candidates,
    [property: Id(2)] ImmutableArray<string> Tasks,
    [property: Id(3)] ImmutableArray<PropertyFilter> Filters,
    [property: Id(4)] RankingSpec Ranking,
    [property: Id(5)] string? ModelVersion = null,
    [property: Id(6)] Models.PredictionEstimate Estimate = Models.PredictionEstimate.Median);

public enum CandidateSourceKind
{
    /// <summary>Compositions given inline (and appended in chunks before the start).</summary>
    List = 0,
    /// <summary>A CSV file on a path every silo can read (a shared path in a cluster).</summary>
    CsvFile = 1,
    /// <summary>Enumerated from a template and element sets; never materialised in memory.</summary>
    Generator = 2,
}

[GenerateSerializer, Immutable]
public sealed record CandidateSource(
    [property: Id(0)] CandidateSourceKind Kind,
    [property: Id(1)] ImmutableArray<string> Compositions,
    [property: Id(2)] string? CsvPath = null,
    [property: Id(3)] string? CsvColumn = null,
    [property: Id(4)] CandidateGeneratorSpec? Generator = null)
{
    public static CandidateSource FromList(IEnumerable<string> compositions) =>
        new(CandidateSourceKind.List, [.. compositions]);

    public static CandidateSource FromCsv(string path, string column = "composition") =>
        new(CandidateSourceKind.CsvFile, [], path, column);

    public static CandidateSource FromGenerator(CandidateGeneratorSpec spec) =>
        new(CandidateSourceKind.Generator, [], Generator: spec);
}

/// <summary>
/// Enumerates compositions from a template such as <c>{A}2{B}{X}4</c>: each site is replaced by
/// every element of its set; <c>{x}</c>-style variables run over a doping series (see
/// src/Domain/Candidates/TEMPLATE-SYNTAX.md). <see cref="DistinctElements"/>: no element twice.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CandidateGeneratorSpec(
    [property: Id(0)] string Template,
    [property: Id(1)] ImmutableArray<GeneratorSite> Sites,
    [property: Id(2)] bool RequireChargeNeutral = true,
    [property: Id(3)] ImmutableArray<DopingVariable> Variables = default,
    [property: Id(4)] long? Limit = null,
    [property: Id(5)] bool DistinctElements = false);

[GenerateSerializer, Immutable]
public sealed record GeneratorSite(
    [property: Id(0)] string Placeholder,
    [property: Id(1)] ImmutableArray<string> Elements);

[GenerateSerializer, Immutable]
public sealed record DopingVariable(
    [property: Id(0)] string Name,
    [property: Id(1)] double From,
    [property: Id(2)] double To,
    [property: Id(3)] double Step);
