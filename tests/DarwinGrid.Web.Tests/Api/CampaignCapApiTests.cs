using System.Net;
using System.Net.Http.Json;

namespace DarwinGrid.Web.Tests.Api;

/// <summary>Issue 17, finding 2: a generator campaign over the candidate cap is a 400 at create, naming the count and the cap.</summary>
[Collection(WebAppCollection.Name)]
public sealed class CampaignCapApiTests(WebAppFixture app)
{
    [Fact]
    public async Task AGeneratorOverTheDefaultCapIsA400NamingTheCountAndTheCap()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var id = $"huge-{Guid.NewGuid():N}"[..16];
        // 5 x 5 x 99,999 = 2,499,975 candidates (no filter removes any), over the default cap of 2,000,000.
        var response = await client.PostAsJsonAsync("/api/campaigns", new
        {
            id,
            tasks = new[] { "band_gap" },
            generate = "{A}{1-x}{B}{x}O3; A=Ba,Sr,Ca,Mg,Pb; B=Ti,Zr,Hf,Sn,Ge; x=0.00001..0.99999:0.00001",
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
        Assert.Contains("2,499,975", body);
        Assert.Contains("2,000,000", body);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/campaigns/{id}")).StatusCode);
    }
}
