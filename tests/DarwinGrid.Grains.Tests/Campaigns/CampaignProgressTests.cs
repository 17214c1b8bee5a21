using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Grains.Tests.Campaigns;

public sealed class CampaignProgressTests
{
    private static readonly Dictionary<string, string> Versions = new() { ["bandgap"] = "v2", ["metal"] = "v2" };

    [Fact]
    public void TheCampaignIsDoneOnlyWhenEveryTaskHasEveryCandidateOfTheCurrentCount()
    {
        var progress = new CampaignProgress();
        progress.StartTasks(Versions, candidates: 100);
        Assert.False(progress.AllDone(Versions.Keys, 100));
        Assert.True(progress.Update(new TaskProgress("bandgap", 100, 100, 0, 0, "v2")));
        Assert.False(progress.Update(new TaskProgress("bandgap", 100, 100, 0, 0, "v2"))); // nothing new
        Assert.True(progress.Update(new TaskProgress("metal", 90, 90, 0, 0, "v2"))); // counted against an older total
        Assert.False(progress.AllDone(Versions.Keys, 100));
        progress.Update(new TaskProgress("metal", 100, 100, 3, 0, "v2"));
        Assert.True(progress.AllDone(Versions.Keys, 100));
    }

    [Fact]
    public void OnlyAFailureOfTheCurrentVersionFailsTheCampaignAndARescreenForgetsTheOldTasks()
    {
        var progress = new CampaignProgress();
        progress.Restore(new TaskProgress("bandgap", 10, 0, 0, 0, "v1", "model v1 does not load"));
        Assert.Null(progress.FailedTask(Versions));
        progress.Update(new TaskProgress("metal", 10, 0, 0, 0, "v2", "model v2 does not load"));
        Assert.Equal("metal", progress.FailedTask(Versions)?.Task);

        progress.StartTasks(Versions, candidates: 10, forgetOthers: true);
        Assert.Null(progress.FailedTask(Versions));
    }
}
