using System.Text;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Loop;
using DarwinGrid.Grains.Tests.Screening;

namespace DarwinGrid.Grains.Tests.Loop;

/// <summary>A screened campaign for the loop: band gap with a window filter, ranked by maximising the gap.</summary>
public static class LoopCampaign
{
    public static readonly PropertyFilter GapWindow = new("band_gap", FilterOperator.Between, 0.5, 3.0);

    public static async Task<ICampaignGrain> ScreenAsync(ScreeningCluster grid, string id, int candidates, int seed)
    {
        var campaign = grid.Campaign(id);
        await campaign.CreateAsync(new CampaignDefinition(id, CandidateSource.FromList(CandidateSet.Create(candidates, seed)), ["band_gap"], [GapWindow],
            new RankingSpec(RankingMode.WeightedScore, [new Objective("band_gap", ObjectiveGoal.Maximize)])));
        await campaign.StartAsync();
        var status = await grid.WaitFinishedAsync(id, TimeSpan.FromSeconds(240));
        Assert.Equal(CampaignState.Completed, status.State);
        return campaign;
    }

    public static ILoopGrain Loop(ScreeningCluster grid, string id) => grid.Client.GetGrain<ILoopGrain>(id);

    /// <summary>A CSV of measured band gaps (composition,task,value).</summary>
    public static MeasuredUpload Csv(string who, params (string Composition, double Value)[] rows) =>
        new(Encoding.UTF8.GetBytes("composition,task,value\n" + string.Concat(rows.Select(r => $"{r.Composition},band_gap,{r.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}\n"))), who, "lab.csv");
}
