using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Campaigns;

// The campaign's long work: reading a CSV or generator source (CandidateIngestion), and ranking at
// the end (CampaignRanking). Both run on the thread pool; only the state changes around them run on the grain.
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
            var (id, source, cap) = (Id, definition.Candidates, CandidateCap); // grain services are not for thread-pool code
            var ingestion = new CandidateIngestion(store, sources);
            var read = await Task.Run(() => ingestion.ReadAsync(id, source, cap, count => Volatile.Write(ref _ingestedSoFar, count), stop));
            await IngestedAsync(read, source.Kind);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Campaign {Id}: reading the candidates failed", Id);
            await FailAsync($"Reading the candidates failed: {e.Message}");
        }
    }

    private async Task IngestedAsync(IngestedCandidates read, CandidateSourceKind kind)
    {
        S.Candidates = read.Candidates;
        S.Rejected = read.Rejected;
        S.InputRows = read.Rows;
        if (S.State == CampaignState.Cancelled)
        {
            await WriteAsync();
            logger.LogInformation("Campaign {Id}: reading the candidates stopped by the cancel after {Candidates}", Id, read.Candidates);
            _feed.Signal();
            return;
        }
        if (read.Candidates == 0)
        {
            await FailAsync(read.Rows == 0
                ? "The candidate source produced no candidates."
                : $"None of the {read.Rows} candidate rows is a valid composition; see the rejected rows.");
            return;
        }
        S.Ingested = true;
        await WriteAsync();
        _progress.StartTasks(S.TaskVersions, S.Candidates);
        logger.LogInformation("Campaign {Id}: {Candidates} candidates read from the {Kind} source ({Rejected} rejected)", Id, read.Candidates, kind, read.Rejected);
        _feed.Signal();
        await CheckAsync(CancellationToken.None);
    }

    private async Task FinishAsync()
    {
        try
        {
            var definition = S.Definition!;
            if (CampaignRanking.IsWanted(definition))
            {
                var (id, versions, ranking) = (Id, new Dictionary<string, string>(S.TaskVersions), new CampaignRanking(store));
                var count = await Task.Run(() => ranking.RankAsync(id, definition, versions));
                logger.LogInformation("Campaign {Id}: ranked {Count} candidates", Id, count);
            }
            if (S.State != CampaignState.Running)
                return; // cancelled or paused while ranking
            S.State = CampaignState.Completed;
            S.Error = null;
            S.FinishedAt = DateTimeOffset.UtcNow;
            await WriteAsync();
            await ReleaseAsync();
            logger.LogInformation("Campaign {Id} completed: {Done} predictions", Id, Status().Done);
            _feed.Signal();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Campaign {Id}: finishing failed; the next check tries again", Id);
            S.Error = $"Finishing failed (retrying): {e.GetBaseException().Message}";
            _feed.Signal();
        }
    }

    private async Task FailAsync(string error)
    {
        S.State = CampaignState.Failed;
        S.Error = error;
        S.FinishedAt = DateTimeOffset.UtcNow;
        await WriteAsync();
        await ReleaseAsync();
        _feed.Signal();
    }
}
