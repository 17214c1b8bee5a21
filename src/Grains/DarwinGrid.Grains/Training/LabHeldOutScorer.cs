using System.Collections.Immutable;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Grains.Models;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// Scores the lab records a run held out with the version it started from and with the version it
/// made, through the path model grains serve them (<see cref="IPropertyPredictorFactory"/>, median
/// estimate). Per task, registered with the new version as <c>lab:{task}</c>: <c>n</c>,
/// <c>mae before</c>, <c>mae after</c>, and <c>failed before</c> / <c>failed after</c> (answers
/// without a number, left out of the mean).
/// </summary>
public sealed class LabHeldOutScorer(IPropertyPredictorFactory factory, IOptions<DarwinGridGrainOptions> options)
{
    public const string Prefix = "lab:";

    public async Task<ImmutableDictionary<string, ImmutableDictionary<string, double>>> ScoreAsync(
        ModelVersionInfo before, ModelVersionInfo after, IReadOnlyList<LabValue> records, CancellationToken cancellationToken)
    {
        var device = options.Value.Devices.FirstOrDefault() ?? "cpu0";
        var beforeErrors = await ErrorsAsync(before, records, device, cancellationToken);
        var afterErrors = await ErrorsAsync(after, records, device, cancellationToken);
        var scores = ImmutableDictionary.CreateBuilder<string, ImmutableDictionary<string, double>>(StringComparer.Ordinal);
        foreach (var task in records.Select(r => r.Task).Distinct(StringComparer.Ordinal))
        {
            var metrics = ImmutableDictionary.CreateBuilder<string, double>(StringComparer.Ordinal);
            metrics["n"] = records.Count(r => r.Task == task);
            Add(metrics, "before", beforeErrors[task]);
            Add(metrics, "after", afterErrors[task]);
            scores[Prefix + task] = metrics.ToImmutable();
        }
        return scores.ToImmutable();
    }

    private static void Add(ImmutableDictionary<string, double>.Builder metrics, string when, List<double?> errors)
    {
        var numbers = errors.OfType<double>().ToList();
        if (numbers.Count > 0)
            metrics[$"mae {when}"] = numbers.Average();
        metrics[$"failed {when}"] = errors.Count - numbers.Count;
    }

    /// <summary>Absolute error per record, by task (null: no number in the answer).</summary>
    private async Task<Dictionary<string, List<double?>>> ErrorsAsync(ModelVersionInfo version, IReadOnlyList<LabValue> records, string device, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, List<double?>>(StringComparer.Ordinal);
        await using var predictor = await factory.CreateAsync(version, device, cancellationToken);
        foreach (var group in records.GroupBy(r => r.Task, StringComparer.Ordinal))
        {
            var items = group.ToList();
            var predictions = await predictor.PredictAsync(group.Key, [.. items.Select(r => r.Composition)], PredictionEstimate.Median, cancellationToken);
            errors[group.Key] = [.. items.Select((r, i) => predictions[i] is { Error: null, Value: { } v } && double.IsFinite(v) ? Math.Abs(v - r.Value) : (double?)null)];
        }
        return errors;
    }
}
