using System.Net.Http.Json;
using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Tests.Support;

/// <summary>Polls a campaign through the REST API until it finishes.</summary>
public static class CampaignPolling
{
    public static async Task<CampaignStatus> WaitFinishedAsync(HttpClient client, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        CampaignStatus status;
        do
        {
            await Task.Delay(200);
            status = (await client.GetFromJsonAsync<CampaignStatus>($"/api/campaigns/{id}", Json.Options))!;
        }
        while (!status.IsFinished && DateTime.UtcNow < deadline);
        return status;
    }
}
