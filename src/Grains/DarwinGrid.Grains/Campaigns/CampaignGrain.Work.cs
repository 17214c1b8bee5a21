using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Ranking;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Campaigns;

// The campaign's long work: reading a CSV or generator source, and ranking at the end. Both run on
// the thread pool; only the state changes around them run on the grain.
public sealed partial class CampaignGrain
{
    private async Task IngestAsync()
    {
        var definition = S.Definition!;
        _ingestStop?.Dispose();
        _ingestStop = new CancellationTokenSource();
        var stop = _ingestStop.Token;
        Volatile.Write(ref _ingestedSoFar, 0);
        try
        {
            var source = definition.Candidates;
            var id = Id; // grain services are not for thread-pool code
            var cap = CandidateCap;
            var (candidates, rejected, rows) = await Task.Run(async () =>
            {
                var writer = new CandidateRows(store, id, 0, 0);
                try
                {
                    if (source.Kind == CandidateSourceKind.CsvFile)
                    {
                        foreach (var cell in CandidateSources.ReadCsvColumn(source.CsvPath!, source.CsvColumn!, stop))
                        {
                            await writer.AddAsync(cell, stop);
                            if (writer.NextIndex > cap)
                                throw CsvOverCap(cap);
                            Volatile.Write(ref _ingestedSoFar, writer.NextIndex);
                        }
                    }
                    else
                    {
                        var generator = sources.CreateGenerator(GeneratorSpecConversion.ToDomain(source.Generator!));
                        foreach (var candidate in generator.Generate(stop))
                        {
                            await writer.AddAsync(candidate.Composition, stop);
                            Volatile.Write(ref _ingestedSoFar, writer.NextIndex);
                        }
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // Cancelled: what was read is stored below, so the counts match the store.
                }
                await writer.FlushAsync(CancellationToken.None);
                return (writer.NextIndex, writer.Rejected, writer.NextRow);
            });

            S.Candidates = candidates;
            S.Rejected = rejected;
            S.InputRows = rows;
            if (S.State == CampaignState.Cancelled)
            {
                await state.WriteStateAsync();
                logger.LogInformation("Campaign {Id}: reading the candidates stopped by the cancel after {Candidates}", Id, candidates);
                Signal();
                return;
            }
            if (candidates == 0)
            {
                await FailAsync(rows == 0
                    ? "The candidate source produced no candidates."
                    : $"None of the {rows} candidate rows is a valid composition; see the rejected rows.");
                return;
            }
            S.Ingested = true;
            await state.WriteStateAsync();
            foreach (var (task, version) in S.TaskVersions)
                _progress[task] = new TaskProgress(task, S.Candidates, 0, 0, 0, version);
            logger.LogInformation("Campaign {Id}: {Candidates} candidates read from the {Kind} source ({Rejected} rejected)", Id, candidates, source.Kind, rejected);
            Signal();
            await CheckAsync(CancellationToken.None);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Campaign {Id}: reading the candidates failed", Id);
            await FailAsync($"Reading the candidates failed: {e.Message}");
        }
    }

    private async Task FinishAsync()
    {
        try
        {
            var definition = S.Definition!;
            if (!definition.Ranking.Objectives.IsDefaultOrEmpty || definition.Ranking.Mode == RankingMode.ProbabilityOfSuccess)
            {
                var id = Id;
                var versions = new Dictionary<string, string>(S.TaskVersions);
                var count = await Task.Run(() => RankAsync(id, definition, versions));
                logger.LogInformation("Campaign {Id}: ranked {Count} candidates", Id, count);
            }
            if (S.State != CampaignState.Running)
                return; // cancelled or paused while ranking
            S.State = CampaignState.Completed;
            S.Error = null;
            S.FinishedAt = DateTimeOffset.UtcNow;
            await state.WriteStateAsync();
            await ReleaseAsync();
            logger.LogInformation("Campaign {Id} completed: {Done} predictions", Id, Status().Done);
            Signal();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Campaign {Id}: finishing failed; the next check tries again", Id);
            S.Error = $"Finishing failed (retrying): {e.GetBaseException().Message}";
            Signal();
        }
    }

    private async Task<int> RankAsync(string id, CampaignDefinition definition, IReadOnlyDictionary<string, string> versions)
    {
        var ranking = definition.Ranking;
        var wanted = ranking.Objectives.Select(o => o.Task).Concat(definition.Filters.Select(f => f.Task)).ToHashSet(StringComparer.Ordinal);
        var inputs = new List<RankingInput>();
        await foreach (var candidate in store.ReadAllResultsAsync(id))
        {
            var predictions = new Dictionary<string, Prediction>(StringComparer.Ordinal);
            foreach (var row in candidate.Results)
            {
                if (wanted.Contains(row.Prediction.Task) && versions.TryGetValue(row.Prediction.Task, out var version) && row.Prediction.ModelVersion == version)
                    predictions[row.Prediction.Task] = row.Prediction;
            }
            inputs.Add(new RankingInput(candidate.Index, predictions));
        }
        var scores = new RankingCalculator(ranking, definition.Filters).Rank(inputs);
        await store.ClearScoresAsync(id);
        await store.UpsertScoresAsync(id, scores);
        return scores.Count;
    }

    private async Task FailAsync(string error)
    {
        S.State = CampaignState.Failed;
        S.Error = error;
        S.FinishedAt = DateTimeOffset.UtcNow;
        await state.WriteStateAsync();
        await ReleaseAsync();
        Signal();
    }
}
