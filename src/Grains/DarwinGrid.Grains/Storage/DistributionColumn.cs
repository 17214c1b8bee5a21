using System.Collections.Immutable;
using System.Text.Json;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// A prediction's distribution as the compact JSON text the <c>distribution</c> column holds:
/// <c>{"v":[values],"p":[probabilities],"m":covered mass}</c>. Only the <see cref="MaxPoints"/> most
/// probable support points with at least <see cref="MinProbability"/> are kept (renormalised, the
/// covered mass scaled by the share kept) and probabilities are rounded to 6 decimals: about 0.4 kB
/// a row instead of several for a wide search, and the median, the interval and every
/// probability-of-success read from it move by at most the dropped mass (≤ 1e-4 per point cut).
/// </summary>
public static class DistributionColumn
{
    public const int MaxPoints = 32;
    public const double MinProbability = 1e-4;

    /// <summary>The distribution as stored (compacted); null for none.</summary>
    public static PredictedDistribution? Compact(PredictedDistribution? distribution)
    {
        if (distribution is null || distribution.Values.IsDefaultOrEmpty || distribution.Values.Length != distribution.Probabilities.Length)
            return null;
        var points = distribution.Values.Zip(distribution.Probabilities)
            .Where(p => double.IsFinite(p.First) && double.IsFinite(p.Second) && p.Second > 0)
            .OrderByDescending(p => p.Second).ThenBy(p => p.First)
            .ToList();
        if (points.Count == 0)
            return null;
        var total = points.Sum(p => p.Second);
        var kept = points.Take(MaxPoints).Where((p, i) => i == 0 || p.Second / total >= MinProbability).OrderBy(p => p.First).ToList();
        var keptMass = kept.Sum(p => p.Second);
        var covered = double.IsFinite(distribution.CoveredMass) && distribution.CoveredMass > 0 ? distribution.CoveredMass : 1.0;
        return new PredictedDistribution(
            [.. kept.Select(p => p.First)],
            [.. kept.Select(p => Math.Round(p.Second / keptMass, 6))],
            Math.Round(Math.Min(1.0, covered * keptMass / total), 6));
    }

    public static string? ToJson(PredictedDistribution? distribution) =>
        Compact(distribution) is { } compact
            ? JsonSerializer.Serialize(new Stored(compact.Values, compact.Probabilities, compact.CoveredMass), StoreJson.Options)
            : null;

    public static PredictedDistribution? FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
            return null;
        var stored = JsonSerializer.Deserialize<Stored>(json, StoreJson.Options)
            ?? throw new InvalidDataException("A stored distribution is the JSON null.");
        return new PredictedDistribution(stored.v, stored.p, stored.m);
    }

#pragma warning disable IDE1006 // short JSON names keep a million rows small
    private sealed record Stored(ImmutableArray<double> v, ImmutableArray<double> p, double m);
#pragma warning restore IDE1006
}
