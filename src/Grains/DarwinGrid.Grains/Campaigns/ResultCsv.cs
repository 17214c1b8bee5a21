using System.Collections.Immutable;
using System.Globalization;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// The export format: one line per candidate in index order; per task its value, label,
/// probability and error (empty when absent). Numbers are invariant round-trip text.
/// </summary>
public static class ResultCsv
{
    public static string Header(IEnumerable<string> tasks) => string.Join(',',
        new[] { "index", "input", "composition", "passes_filters", "score", "pareto_rank" }
            .Concat(tasks.SelectMany(t => new[] { t, $"{t}_label", $"{t}_probability", $"{t}_error" })));

    public static string Line(StoredCandidate candidate, IEnumerable<string> tasks, IReadOnlyDictionary<string, string> versions, ImmutableArray<Campaigns.PropertyFilter> filters)
    {
        var byTask = new Dictionary<string, Prediction>(StringComparer.Ordinal);
        foreach (var row in candidate.Results)
        {
            if (versions.TryGetValue(row.Prediction.Task, out var version) && version == row.Prediction.ModelVersion)
                byTask[row.Prediction.Task] = row.Prediction;
        }
        var fields = new List<string>
        {
            candidate.Index.ToString(CultureInfo.InvariantCulture),
            Escape(candidate.Input),
            Escape(candidate.Composition),
            PredictionFilters.Passes(byTask, filters.IsDefault ? [] : filters) ? "true" : "false",
            Number(candidate.Score),
            candidate.ParetoRank?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
        foreach (var task in tasks)
        {
            byTask.TryGetValue(task, out var p);
            fields.Add(Number(p?.Value));
            fields.Add(Escape(p?.Label));
            fields.Add(Number(p?.Probability));
            fields.Add(Escape(p?.Error));
        }
        return string.Join(',', fields);
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        return text.AsSpan().IndexOfAny(",\"\r\n") < 0 ? text : "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
