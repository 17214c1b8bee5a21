using System.Collections.Immutable;
using System.Globalization;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// The export format: one line per candidate in index order; per task its value, label,
/// probability and error (empty when absent); then, appended so older readers keep their columns,
/// per task the central interval (<c>{task}_low</c>, <c>{task}_high</c>; empty without one) and the
/// candidate's <c>success_probability</c> (P(every filter met), see <see cref="SuccessProbability"/>;
/// empty when the campaign has no filters). Numbers are invariant round-trip text.
/// </summary>
public static class ResultCsv
{
    public const string SuccessProbabilityColumn = "success_probability";

    public static string Header(IEnumerable<string> tasks)
    {
        var list = tasks.ToList();
        return string.Join(',',
            new[] { "index", "input", "composition", "passes_filters", "score", "pareto_rank" }
                .Concat(list.SelectMany(t => new[] { t, $"{t}_label", $"{t}_probability", $"{t}_error" }))
                .Concat(list.SelectMany(t => new[] { $"{t}_low", $"{t}_high" }))
                .Append(SuccessProbabilityColumn));
    }

    public static string Line(StoredCandidate candidate, IEnumerable<string> tasks, IReadOnlyDictionary<string, string> versions, ImmutableArray<Campaigns.PropertyFilter> filters)
    {
        var byTask = new Dictionary<string, Prediction>(StringComparer.Ordinal);
        foreach (var row in candidate.Results)
        {
            if (versions.TryGetValue(row.Prediction.Task, out var version) && version == row.Prediction.ModelVersion)
                byTask[row.Prediction.Task] = row.Prediction;
        }
        var filterList = filters.IsDefault ? [] : filters;
        var fields = new List<string>
        {
            candidate.Index.ToString(CultureInfo.InvariantCulture),
            Escape(candidate.Input),
            Escape(candidate.Composition),
            PredictionFilters.Passes(byTask, filterList) ? "true" : "false",
            Number(candidate.Score),
            candidate.ParetoRank?.ToString(CultureInfo.InvariantCulture) ?? "",
        };
        var taskList = tasks as IReadOnlyCollection<string> ?? [.. tasks];
        foreach (var task in taskList)
        {
            byTask.TryGetValue(task, out var p);
            fields.Add(Number(p?.Value));
            fields.Add(Escape(p?.Label));
            fields.Add(Number(p?.Probability));
            fields.Add(Escape(p?.Error));
        }
        foreach (var task in taskList)
        {
            byTask.TryGetValue(task, out var p);
            fields.Add(Number(p?.Low));
            fields.Add(Number(p?.High));
        }
        fields.Add(Number(SuccessProbability.OfCampaign(byTask, filterList)));
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
