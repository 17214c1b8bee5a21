namespace DarwinGrid.Grains.Campaigns;

/// <summary>Stored state of <see cref="CampaignDirectoryGrain"/> (never renamed).</summary>
public sealed class CampaignDirectoryState
{
    public List<CampaignSummary> Campaigns { get; set; } = [];

    public List<string> Unfinished { get; set; } = [];
}
