using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// Ranks a finished campaign: every candidate's predictions from the campaign's model versions for the
/// tasks the ranking and the filters name, scored by <see cref="RankingCalculator"/>, the scores stored
/// in place of the old ones. Plain code for the thread pool: it touches no grain.
/// </summary>
public sealed class CampaignRanking(IResultStore store)
{
    /// <summary>Whether the definition asks for a ranking at all (objectives, or the probability of success).</summary>
    public static bool IsWanted(CampaignDefinition definition) =>
        !definition.Ranking.Objectives.IsDefaultOrEmpty || definition.Ranking.Mode == RankingMode.ProbabilityOfSuccess;

    /// <returns>How many candidates were scored.</returns>
    public async Task<int> RankAsync(string campaignId, CampaignDefinition definition, IReadOnlyDictionary<string, string> versions)
    {
        var wanted = definition.Ranking.Objectives.Select(o => o.Task).Concat(definition.Filters.Select(f => f.Task)).ToHashSet(StringComparer.Ordinal);
        var inputs = new List<RankingInput>();
        await foreach (var candidate in store.ReadAllResultsAsync(campaignId))
        {
            var predictions = new Dictionary<string, Prediction>(StringComparer.Ordinal);
            foreach (var row in candidate.Results)
            {
                if (wanted.Contains(row.Prediction.Task) && versions.TryGetValue(row.Prediction.Task, out var version) && row.Prediction.ModelVersion == version)
                    predictions[row.Prediction.Task] = row.Prediction;
            }
            inputs.Add(new RankingInput(candidate.Index, predictions));
        }
        var scores = new RankingCalculator(definition.Ranking, definition.Filters).Rank(inputs);
        await store.ClearScoresAsync(campaignId);
        await store.UpsertScoresAsync(campaignId, scores);
        return scores.Count;
    }
}
