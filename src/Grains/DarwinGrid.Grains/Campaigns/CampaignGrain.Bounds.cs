using System.Globalization;

namespace DarwinGrid.Grains.Campaigns;

// The campaign's bounds: the candidate cap (a generator is counted at create, a list at each append,
// a CSV file while it is read), the stop signal of a running ingestion, and its progress so far.
public sealed partial class CampaignGrain
{
    private CancellationTokenSource? _ingestStop;
    private long _ingestedSoFar; // written by the ingestion on the thread pool, read by Status()

    private long CandidateCap => options.Value.Screening.MaxCandidatesPerCampaign;

    /// <summary>Candidates stored so far: the stored count, or while a CSV or generator is being read, how far it got.</summary>
    private long CandidatesSoFar => S.Ingested ? S.Candidates : Math.Max(S.Candidates, Volatile.Read(ref _ingestedSoFar));

    /// <summary>
    /// Refuses a generator with more candidates than the cap before anything is stored. The upper
    /// bound is instant; only when it is over the cap are the candidates counted exactly (off the grain's thread, within a time budget).
    /// </summary>
    private async Task CheckGeneratorCapAsync(CandidateSource source)
    {
        if (source.Kind != CandidateSourceKind.Generator)
            return;
        var generator = sources.CreateGenerator(GeneratorSpecConversion.ToDomain(source.Generator!));
        var cap = CandidateCap;
        var bound = generator.CountUpperBound();
        if (bound <= cap)
            return;
        var budget = options.Value.Screening.GeneratorCountTimeout;
        using var timeout = new CancellationTokenSource(budget);
        long count;
        try
        {
            count = await Task.Run(() => generator.Count(timeout.Token));
        }
        catch (OperationCanceledException)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"The generator spans up to {bound:N0} candidates, more than the cap of {cap:N0} per campaign (DarwinGrid:Screening:MaxCandidatesPerCampaign), and counting them took over {budget.TotalSeconds:F0} s; narrow it or give it a limit."));
        }
        if (count > cap)
            throw new ArgumentException(CampaignLimits.TooManyCandidates(count, cap));
    }

    /// <summary>Refuses an append that could take the list past the cap (rows that will be rejected count too: they are not parsed yet).</summary>
    private void CheckListCap(int adding)
    {
        if (S.Candidates + adding > CandidateCap)
            throw new ArgumentException(CampaignLimits.TooManyCandidates(S.Candidates + adding, CandidateCap));
    }

    /// <summary>Stops a running ingestion at the next row; it stores what it read and leaves the counts matching the store.</summary>
    private void StopIngestion() => _ingestStop?.Cancel();
}
