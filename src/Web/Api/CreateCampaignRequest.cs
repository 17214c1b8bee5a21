using System.Text.Json.Serialization;

namespace DarwinGrid.Web.Api;

/// <summary>
/// <c>POST /api/campaigns</c>. Candidates: exactly one of <see cref="Compositions"/> (formulas) and
/// <see cref="Generate"/> (a generator spec such as <c>{A}{B}O3; A=alkaline-earth; B=3d</c>). Filters and
/// objectives are written as in <c>darwin screen</c> (<c>band_gap between 1.1 and 1.8</c>, <c>band_gap target 1.4</c>).
/// <see cref="Estimate"/>: median (default), mean or greedy. <see cref="Rank"/>: score (default), pareto
/// (as <see cref="Pareto"/>) or success (by the probability of passing every filter).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CreateCampaignRequest(
    string[]? Tasks,
    string[]? Compositions = null,
    string? Generate = null,
    string[]? Filters = null,
    string[]? Objectives = null,
    bool Pareto = false,
    string? Model = null,
    string? Name = null,
    string? Id = null,
    bool Start = false,
    string? Estimate = null,
    string? Rank = null);
