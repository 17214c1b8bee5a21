using System.Collections.Immutable;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>
/// A seeded campaign: candidates with unique inputs, a regression task, a binary classification
/// task and a second regression task, with failed and missing predictions, cached flags and scores
/// (some missing). Kept in memory so queries can be checked against LINQ over the same rows.
/// </summary>
public sealed class SyntheticCampaign
{
    public static readonly TaskModel BandGap = new("band_gap", "v1");
    public static readonly TaskModel IsMetal = new("is_metal", "v1");
    public static readonly TaskModel Formation = new("formation_energy", "v2");
    public static readonly IReadOnlyList<TaskModel> Tasks = [BandGap, IsMetal, Formation];

    private static readonly string[] Elements = ["Ag", "B", "Br", "Cs", "Pb", "I", "Sn", "Cl", "O", "Ti", "Sr", "Co", "C", "Na", "K"];

    public SyntheticCampaign(int candidates, int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < candidates; i++)
        {
            var composition = string.Concat(Enumerable.Range(0, random.Next(2, 4))
                .Select(_ => Elements[random.Next(Elements.Length)] + (random.Next(3) == 0 ? "" : random.Next(2, 5).ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Candidates.Add(new CandidateRow(i, $"row-{i}:{composition.ToLowerInvariant()}", composition));

            var predictions = ImmutableDictionary.CreateBuilder<string, Prediction>(StringComparer.Ordinal);
            foreach (var task in Tasks)
            {
                var roll = random.NextDouble();
                if (roll < 0.08)
                    continue; // not predicted yet
                var failed = roll < 0.15;
                Prediction prediction;
                if (task == IsMetal)
                {
                    var p = Math.Round(random.NextDouble(), 3);
                    var label = p >= 0.5 ? "metal" : "nonmetal";
                    prediction = failed
                        ? new Prediction(task.Task, task.ModelVersion, null, null, null, " metallic?", "unparseable answer")
                        : new Prediction(task.Task, task.ModelVersion, null, label, p, " " + label, null,
                            ImmutableDictionary<string, double>.Empty.Add("metal", p).Add("nonmetal", Math.Round(1 - p, 3)));
                }
                else
                {
                    // Rounded to a coarse grid so ties occur and exercise the tie-break.
                    var value = Math.Round(random.NextDouble() * 4 - (task == Formation ? 2 : 0), 1);
                    prediction = failed
                        ? new Prediction(task.Task, task.ModelVersion, null, null, null, " n/a", "no number in answer")
                        : new Prediction(task.Task, task.ModelVersion, value, null, null, $" {value:0.0}", Spread: 0.1);
                }
                predictions[task.Task] = prediction;
                Results.Add(new ResultRow(i, prediction, Cached: random.Next(5) == 0));
            }
            Predictions.Add(predictions.ToImmutable());

            Scores.Add(random.Next(10) == 0
                ? new CandidateScore(i, null, null)
                : new CandidateScore(i, Math.Round(random.NextDouble(), 2), random.Next(6)));
        }
    }

    public List<CandidateRow> Candidates { get; } = [];
    public List<ResultRow> Results { get; } = [];
    public List<ImmutableDictionary<string, Prediction>> Predictions { get; } = [];
    public List<CandidateScore> Scores { get; } = [];

    public async Task StoreAsync(IResultStore store, string campaignId, int batch = 1000)
    {
        foreach (var chunk in Candidates.Chunk(batch))
            await store.AppendCandidatesAsync(campaignId, chunk);
        foreach (var chunk in Results.Chunk(batch))
            await store.UpsertResultsAsync(campaignId, chunk);
        foreach (var chunk in Scores.Chunk(batch))
            await store.UpsertScoresAsync(campaignId, chunk);
    }
}
