using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Web.Campaigns;
using DarwinGrid.Web.Cluster;
using DarwinGrid.Web.Models;

namespace DarwinGrid.Web.Overview;

/// <summary>The overview: campaigns (active and recent), the best results of the latest completed campaign, models and cluster health.</summary>
public sealed class OverviewModel(IGrainFactory grains, CampaignListModel campaigns, ModelsModel models, ClusterModel cluster)
{
    public const int RecentCount = 5;
    public const int BestCount = 5;

    public CampaignListModel Campaigns { get; } = campaigns;

    public ModelsModel Models { get; } = models;

    public ClusterModel Cluster { get; } = cluster;

    /// <summary>The latest completed campaign, whose best candidates the overview shows.</summary>
    public CampaignStatus? Latest { get; private set; }

    public CampaignDefinition? LatestDefinition { get; private set; }

    public ImmutableArray<CandidateResult> LatestBest { get; private set; } = [];

    public IEnumerable<CampaignStatus> Recent => Campaigns.Campaigns.Where(c => c.IsFinished).Take(RecentCount);

    public bool Loaded => Campaigns.Loaded && Models.Loaded && Cluster.Loaded;

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await Task.WhenAll(Campaigns.RefreshAsync(cancellationToken), Models.RefreshAsync(cancellationToken), Cluster.RefreshAsync(cancellationToken));
        var latest = Campaigns.Campaigns.FirstOrDefault(c => c.State == CampaignState.Completed);
        if (latest is not null && latest.Id != Latest?.Id)
        {
            var grain = grains.GetGrain<ICampaignGrain>(latest.Id);
            LatestDefinition = await grain.GetDefinitionAsync().WaitAsync(cancellationToken);
            LatestBest = await grain.GetTopAsync(BestCount).WaitAsync(cancellationToken);
        }
        Latest = latest;
    }
}
