using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Tasks;

/// <summary>
/// One batch of a task: reads its candidates from the results store, skips the ones already recorded,
/// takes what it can from the prediction cache, asks the model for the rest and upserts the results.
/// Nothing is counted twice: results are upserted by key.
/// </summary>
public sealed class BatchProcessor(IResultStore store, TaskAssignment assignment, ModelCallRetry model)
{
    public async Task<BatchOutcome> ProcessAsync((long From, int Count) range, CancellationToken cancellationToken)
    {
        var taskModel = new TaskModel(assignment.Task, assignment.ModelVersion);
        var candidates = await store.ReadCandidatesAsync(assignment.CampaignId, range.From, range.Count, cancellationToken);
        if (candidates.Count != range.Count)
            throw new InvalidOperationException($"Campaign '{assignment.CampaignId}' has {candidates.Count} candidates from index {range.From}, expected {range.Count}.");
        var completed = (await store.ReadCompletedIndexesAsync(assignment.CampaignId, taskModel, range.From, range.From + range.Count, cancellationToken)).ToHashSet();
        var pending = candidates.Where(c => !completed.Contains(c.Index)).ToList();
        if (pending.Count == 0)
            return new BatchOutcome(0, 0, 0);

        var compositions = pending.Select(c => c.Composition).Distinct(StringComparer.Ordinal).ToList();
        var cached = await store.GetCachedPredictionsAsync(assignment.Task, assignment.ModelVersion, assignment.Estimate, compositions, cancellationToken);
        var misses = compositions.Where(c => !cached.ContainsKey(c)).ToList();
        var predicted = misses.Count == 0 ? new Dictionary<string, Models.Prediction>() : await PredictAsync(misses, cancellationToken);

        var rows = pending.Select(candidate => cached.TryGetValue(candidate.Composition, out var hit)
            ? new ResultRow(candidate.Index, hit, Cached: true)
            : new ResultRow(candidate.Index, predicted[candidate.Composition])).ToList();
        cancellationToken.ThrowIfCancellationRequested();
        await store.UpsertResultsAsync(assignment.CampaignId, rows, CancellationToken.None);
        return new BatchOutcome(rows.Count, rows.Count(r => r.Prediction.Error is not null), rows.Count(r => r.Cached));
    }

    private async Task<IReadOnlyDictionary<string, Models.Prediction>> PredictAsync(List<string> misses, CancellationToken cancellationToken)
    {
        var answer = await model.PredictAsync(assignment, misses, cancellationToken);
        // Answers (parse failures included: greedy decoding repeats them) serve every later campaign.
        if (answer.FromModel)
            await store.UpsertPredictionsAsync([.. answer.Predictions.Select(p => new CachedPrediction(p.Key, p.Value, assignment.Estimate))], CancellationToken.None);
        return answer.Predictions;
    }
}
