using DarwinGrid.Grains.Models;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Campaigns;

// A rescreen: the lab loop's last step, the completed campaign screened again with a new version.
public sealed partial class CampaignGrain
{
    public async Task<CampaignStatus> RescreenAsync(string modelVersion)
    {
        var definition = RequireDefinition();
        if (string.IsNullOrWhiteSpace(modelVersion))
            throw new ArgumentException("Name the model version to screen with.");
        if (S.State != CampaignState.Completed)
            throw new InvalidOperationException($"Campaign '{Id}' is {S.State}; only a completed campaign is screened again.");
        var registry = GrainFactory.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        var version = await registry.GetAsync(modelVersion) ?? throw new ArgumentException($"Model version '{modelVersion}' is not registered.");
        CampaignModelVersions.CheckAnswers(version, definition.Tasks);
        await registry.PinAsync(modelVersion, Id); // the old versions were unpinned when the campaign completed

        var previous = string.Join(", ", S.TaskVersions.Values.Distinct());
        S.Definition = definition with { ModelVersion = modelVersion };
        S.TaskVersions = definition.Tasks.ToDictionary(t => t, _ => modelVersion, StringComparer.Ordinal);
        S.State = CampaignState.Running;
        S.StartedAt = DateTimeOffset.UtcNow;
        S.FinishedAt = null;
        S.Error = null;
        await WriteAsync();
        await GrainFactory.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).MarkUnfinishedAsync(Id);
        _progress.StartTasks(S.TaskVersions, S.Candidates, forgetOthers: true);
        logger.LogInformation("Campaign {Id} screens again with {Version} (was {Previous})", Id, modelVersion, previous);
        EnsureDriving();
        _feed.Signal();
        return Status();
    }
}
