using System.Net;
using System.Net.Http.Json;
using System.Text;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Loop;
using DarwinGrid.TestSupport;
using DarwinGrid.Web.Api;
using Xunit.Abstractions;

namespace DarwinGrid.Web.Tests.Loop;

/// <summary>The lab loop twice through the REST API alone (real trainer on the fixture's tiny model): propose, measured, update, rescreen.</summary>
[Collection(WebAppCollection.Name)]
[Trait("Category", TestCategories.Slow)]
public sealed class LoopTwoRoundApiTests(WebAppFixture app, ITestOutputHelper output)
{
    [Fact]
    public async Task ALabGoesRoundTheLoopTwiceThroughTheApi()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/campaigns", new
        {
            name = "loop-rest-two-rounds", tasks = new[] { "band_gap" }, generate = "{A}{B}O3; A=alkaline-earth; B=3d",
            filters = new[] { "band_gap between 0 and 100" }, objectives = new[] { "maximize band_gap" }, start = true,
        });
        var id = (await created.Content.ReadFromJsonAsync<CampaignCreated>(Json.Options))!.Status.Id;
        var loop = $"/api/campaigns/{id}/loop";
        await WaitCompletedAsync(client, id);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 1; round <= 2; round++)
        {
            var proposed = await client.PostAsJsonAsync($"{loop}/proposals", new { n = 4, rule = round == 1 ? "poi" : "ei" });
            Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
            var proposal = (await proposed.Content.ReadFromJsonAsync<LoopProposal>(Json.Options))!;
            var csv = "composition,task,value\n" + string.Concat(proposal.Candidates.Select((c, i) => $"{c.Composition},band_gap,{1 + i * 0.5 + round}\n"));
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"{loop}/measured?file=round{round}.csv", new StringContent(csv, Encoding.UTF8, "text/csv"))).StatusCode);

            var started = await client.PostAsJsonAsync($"{loop}/updates", new { steps = 3, preset = "tiny" });
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            LoopUpdate update;
            var deadline = DateTime.UtcNow.AddMinutes(5);
            do
            {
                await Task.Delay(500);
                update = (await client.GetFromJsonAsync<LoopUpdate[]>($"{loop}/updates", Json.Options))![^1];
            }
            while (update.State == LoopUpdateState.Running && DateTime.UtcNow < deadline);
            output.WriteLine($"round {round}: {update.State} {update.NewVersion} after {clock.Elapsed.TotalSeconds:F0} s {update.Error}");
            Assert.Equal(LoopUpdateState.Completed, update.State);
            Assert.Contains("lab:matbench_expt_gap", update.Scores!.Keys);

            var rescreen = await client.PostAsync($"{loop}/rescreen", null);
            Assert.Equal(HttpStatusCode.OK, rescreen.StatusCode);
            var status = await WaitCompletedAsync(client, id);
            Assert.Equal(update.NewVersion, Assert.Single(status.Tasks).ModelVersion);
        }
        var overview = (await client.GetFromJsonAsync<LoopOverview>(loop, Json.Options))!;
        Assert.Equal((2, 2, 2, 3), (overview.Proposals.Length, overview.Datasets.Length, overview.Updates.Length, overview.Screenings.Length));
        output.WriteLine($"two rounds through REST in {clock.Elapsed.TotalSeconds:F0} s");
    }

    private static async Task<CampaignStatus> WaitCompletedAsync(HttpClient client, string id)
    {
        var status = await CampaignPolling.WaitFinishedAsync(client, id, TimeSpan.FromSeconds(180));
        Assert.Equal(CampaignState.Completed, status.State);
        return status;
    }
}
