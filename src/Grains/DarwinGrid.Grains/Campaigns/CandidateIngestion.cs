using System.Globalization;
using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>What reading a campaign's candidate source stored: candidates, rejected rows, and input rows read.</summary>
public sealed record IngestedCandidates(long Candidates, long Rejected, long Rows);

/// <summary>
/// Reads a CSV or generator source into a campaign's stored candidates (through <see cref="CandidateRows"/>),
/// refusing a CSV over the cap. Plain code for the thread pool: it touches no grain.
/// </summary>
public sealed class CandidateIngestion(IResultStore store, CandidateSources sources)
{
    /// <param name="progress">Told the candidates stored so far, from the reading thread.</param>
    /// <param name="stop">Stops at the next row; what was read is stored, so the counts match the store.</param>
    /// <exception cref="InvalidDataException">The CSV has more candidates than <paramref name="cap"/>.</exception>
    public async Task<IngestedCandidates> ReadAsync(string campaignId, CandidateSource source, long cap, Action<long> progress, CancellationToken stop)
    {
        var writer = new CandidateRows(store, campaignId, 0, 0);
        try
        {
            if (source.Kind == CandidateSourceKind.CsvFile)
            {
                foreach (var cell in CandidateSources.ReadCsvColumn(source.CsvPath!, source.CsvColumn!, stop))
                {
                    await writer.AddAsync(cell, stop);
                    if (writer.NextIndex > cap)
                        throw CsvOverCap(cap);
                    progress(writer.NextIndex);
                }
            }
            else
            {
                var generator = sources.CreateGenerator(GeneratorSpecConversion.ToDomain(source.Generator!));
                foreach (var candidate in generator.Generate(stop))
                {
                    await writer.AddAsync(candidate.Composition, stop);
                    progress(writer.NextIndex);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Cancelled: what was read is stored below, so the counts match the store.
        }
        await writer.FlushAsync(CancellationToken.None);
        return new IngestedCandidates(writer.NextIndex, writer.Rejected, writer.NextRow);
    }

    private static InvalidDataException CsvOverCap(long cap) => new(string.Create(CultureInfo.InvariantCulture,
        $"The candidate CSV has more than {cap:N0} candidates, the cap per campaign (DarwinGrid:Screening:MaxCandidatesPerCampaign); split it into several campaigns."));
}
