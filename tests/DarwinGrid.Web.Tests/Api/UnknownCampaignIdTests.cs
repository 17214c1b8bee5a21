using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;

namespace DarwinGrid.Web.Tests.Api;

/// <summary>
/// Issue 17, finding 3: a GET of an unknown campaign id is a 404 that activates no campaign grain
/// (the id is checked against the campaign directory first), so random ids cannot grow the silo.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class UnknownCampaignIdTests(WebAppFixture app)
{
    private async Task<int> CampaignActivationsAsync()
    {
        var grains = app.App.Services.GetRequiredService<IGrainFactory>();
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetSimpleGrainStatistics();
        return statistics.Where(s => s.GrainType.Contains("CampaignGrain", StringComparison.Ordinal) && !s.GrainType.Contains("Directory", StringComparison.Ordinal))
            .Sum(s => s.ActivationCount);
    }

    [Fact]
    public async Task RandomCampaignIdsAre404sThatActivateNoCampaignGrain()
    {
        // The probe sees campaign grains: a real campaign, once read, is one activation.
        using var operatorClient = app.Client(WebAppFixture.OperatorKey);
        var id = $"known-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.Created, (await operatorClient.PostAsJsonAsync("/api/campaigns", new { id, tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" } })).StatusCode);
        using var client = app.Client(WebAppFixture.ViewerKey);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/campaigns/{id}")).StatusCode);
        var before = await CampaignActivationsAsync();
        Assert.True(before >= 1, "the known campaign's grain is counted");

        foreach (var path in new[] { "", "/results?passing=true", "/export" })
        {
            for (var i = 0; i < 20; i++)
            {
                var response = await client.GetAsync($"/api/campaigns/{Guid.NewGuid():N}{path}");
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }
        // Malformed ids never reach the directory either.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/campaigns/..%2F..%2Fetc")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/campaigns/{new string('a', 200)}")).StatusCode);

        Assert.Equal(before, await CampaignActivationsAsync());
    }
}
