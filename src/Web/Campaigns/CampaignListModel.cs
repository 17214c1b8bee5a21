using System.Collections.Concurrent;
using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Campaigns;

/// <summary>
/// Every campaign's status, newest first, for the campaigns list and the overview. A finished
/// campaign's status never changes, so refreshes only ask the unfinished ones again.
/// </summary>
public sealed class CampaignListModel(IGrainFactory grains)
{
    private readonly ConcurrentDictionary<string, CampaignStatus> _finished = new(StringComparer.Ordinal);

    public ImmutableArray<CampaignStatus> Campaigns { get; private set; } = [];

    public bool Loaded { get; private set; }

    public IEnumerable<CampaignStatus> Active => Campaigns.Where(c => c.State is CampaignState.Running or CampaignState.Paused);

    /// <summary>Candidates per second over every running campaign.</summary>
    public double Throughput => Campaigns.Where(c => c.State == CampaignState.Running).Sum(c => c.CandidatesPerSecond);

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var summaries = await grains.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ListAsync();
        var statuses = await Task.WhenAll(summaries.Select(async summary =>
        {
            if (_finished.TryGetValue(summary.Id, out var done))
                return done;
            var status = await grains.GetGrain<ICampaignGrain>(summary.Id).GetStatusAsync().WaitAsync(cancellationToken);
            if (status.IsFinished)
                _finished[summary.Id] = status;
            return status;
        }));
        Campaigns = [.. statuses.OrderByDescending(s => s.CreatedAt).ThenBy(s => s.Id, StringComparer.Ordinal)];
        Loaded = true;
    }
}
