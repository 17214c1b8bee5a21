using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Grains.Clients;

/// <summary>
/// How a client turns an id it was sent (a URL, a query) into a campaign grain: the id's form is
/// checked, then the directory is asked whether the campaign exists, and only then is the campaign
/// grain addressed. A grain with state costs memory from its activation on, so an unknown id must
/// never reach one (issue 17: 120,000 random ids grew a silo by 456 MB).
/// </summary>
public static class CampaignLookup
{
    /// <summary>The campaign with <paramref name="id"/>, or null when the id is malformed or no campaign has it.</summary>
    public static async Task<ICampaignGrain?> FindCampaignAsync(this IGrainFactory grains, string? id)
    {
        if (!CampaignLimits.IsValidId(id))
            return null;
        return await grains.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ExistsAsync(id!)
            ? grains.GetGrain<ICampaignGrain>(id!)
            : null;
    }
}
