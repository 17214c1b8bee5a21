using System.Collections.Immutable;
using System.Globalization;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// The ranking as <c>darwin screen</c> and <c>darwin demo</c> print it: per task the value with its
/// central interval (<c>1.42 [1.10, 1.75]</c>) or the label with its probability, then the
/// probability of passing every filter (<c>P(success)</c>, when the campaign has filters) and the
/// score or Pareto front.
/// </summary>
public static class RankingTable
{
    public const string SuccessHeader = "P(success)";

    public static void Write(TextWriter output, ImmutableArray<CandidateResult> best, CampaignDefinition definition)
    {
        if (best.IsEmpty)
        {
            output.WriteLine("No candidate passes the filters.");
            return;
        }
        var mode = definition.Ranking.Mode;
        var withSuccess = !definition.Filters.IsDefaultOrEmpty;
        var header = new List<string> { "#", "composition" };
        header.AddRange(definition.Tasks);
        if (withSuccess)
            header.Add(SuccessHeader);
        if (mode != RankingMode.ProbabilityOfSuccess)
            header.Add(mode == RankingMode.Pareto ? "front" : "score");
        var rows = best.Select((result, i) =>
        {
            var row = new List<string> { (i + 1).ToString(CultureInfo.InvariantCulture), result.Composition };
            foreach (var task in definition.Tasks)
                row.Add(result.Predictions.TryGetValue(task, out var p) ? Describe(p) : "");
            if (withSuccess)
                row.Add(result.SuccessProbability?.ToString("F2", CultureInfo.InvariantCulture) ?? "");
            if (mode == RankingMode.Pareto)
                row.Add(result.ParetoRank?.ToString(CultureInfo.InvariantCulture) ?? "");
            else if (mode == RankingMode.WeightedScore)
                row.Add(result.Score?.ToString("F3", CultureInfo.InvariantCulture) ?? "");
            return row.ToArray();
        }).ToList();
        // The legend goes first: the lines after the table are the table.
        if (best.Any(r => r.Predictions.Values.Any(p => p.Low is not null)))
            output.WriteLine("[low, high]: the model's central prediction interval (90% unless the model says otherwise).");
        if (withSuccess)
            output.WriteLine($"{SuccessHeader}: the probability of meeting every filter, from the predicted distributions and class probabilities, " +
                "multiplied across tasks (assumed independent); a prediction without a distribution counts 1 if its value passes, else 0.");
        TextTable.Write(output, header, rows);
    }

    /// <summary>One prediction in a cell: <c>1.42 [1.1, 1.75]</c>, <c>false (0.93)</c>, or <c>(failed)</c>.</summary>
    public static string Describe(Prediction p) =>
        p.Error is not null ? "(failed)"
        : p.Value is { } value ? Number(value) + (p.Low is { } low && p.High is { } high ? $" [{Number(low)}, {Number(high)}]" : "")
        : p.Label is { } label ? p.LabelProbabilities?.GetValueOrDefault(label) is { } probability ? string.Create(CultureInfo.InvariantCulture, $"{label} ({probability:F2})") : label
        : "";

    private static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
