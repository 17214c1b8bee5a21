using System.Net;
using System.Net.Http.Json;
using System.Text;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Loop;
using DarwinGrid.Web.Api;

namespace DarwinGrid.Web.Tests.Loop;

/// <summary>A campaign's lab loop through the REST API: propose, upload measured values, compare; bad input is a 4xx naming the problem.</summary>
[Collection(WebAppCollection.Name)]
public sealed class LoopApiTests(WebAppFixture app)
{
    [Fact]
    public async Task LoopApiProposesTakesMeasuredValuesAndAnswersBadInputWith4xx()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/campaigns", new
        {
            name = "loop-api",
            tasks = new[] { "band_gap" },
            generate = "{A}{B}O3; A=alkaline-earth; B=3d",
            filters = new[] { "band_gap between 0 and 100" },
            objectives = new[] { "maximize band_gap" },
            start = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<CampaignCreated>(Json.Options))!.Status.Id;
        var loop = $"/api/campaigns/{id}/loop";

        // Before the screening is done a proposal is a 409 that says why (unless it finished already).
        var early = await client.PostAsJsonAsync($"{loop}/proposals", new { n = 5, rule = "poi" });
        if (early.StatusCode != HttpStatusCode.Created)
            Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal(CampaignState.Completed, (await CampaignPolling.WaitFinishedAsync(client, id, TimeSpan.FromSeconds(90))).State);

        var proposed = await client.PostAsJsonAsync($"{loop}/proposals", new { n = 5, rule = "poi", diversity = 0.5 });
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        var proposal = (await proposed.Content.ReadFromJsonAsync<LoopProposal>(Json.Options))!;
        Assert.Equal(proposed.Headers.Location!.OriginalString, $"{loop}/proposals/{proposal.Round}");
        Assert.Equal((ProposalRule.Poi, 5, "robot", 0.5), (proposal.Rule, proposal.Candidates.Length, proposal.CreatedBy, proposal.Diversity));
        Assert.All(proposal.Candidates, c => Assert.NotNull(Assert.Single(c.Predictions).Median));
        var read = (await client.GetFromJsonAsync<LoopProposal>($"{loop}/proposals/{proposal.Round}", Json.Options))!;
        Assert.Equal(proposal.Candidates.Select(c => c.Composition), read.Candidates.Select(c => c.Composition));

        // Bad requests: every field named, nothing stored.
        var bad = await client.PostAsJsonAsync($"{loop}/proposals", new { n = 0, rule = "greedy" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadAsStringAsync();
        Assert.Contains("\"n\"", problem);
        Assert.Contains("Unknown acquisition rule 'greedy'", problem);
        var classification = await client.PostAsJsonAsync($"{loop}/proposals", new { n = 3, rule = "ucb", objective = "is_metal" });
        Assert.Equal(HttpStatusCode.BadRequest, classification.StatusCode);
        Assert.Contains("not one of the campaign's objectives", await classification.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"{loop}/proposals", new StringContent("{\"n\": \"five\"}", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"{loop}/proposals/99")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"{loop}/proposals/first")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/campaigns/no-such-campaign/loop/proposals", new { n = 5, rule = "poi" })).StatusCode);
        using (var viewer = app.Client(WebAppFixture.ViewerKey))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"{loop}/proposals", new { n = 5, rule = "poi" })).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(loop)).StatusCode);
        }

        // Measured values: a bad file is refused row by row, a good one is version 1 with its provenance, the same file again a 409.
        var measured = proposal.Candidates.Take(2).Select(c => c.Composition).ToArray();
        var refused = await client.PostAsync($"{loop}/measured?file=bad.csv", Csv($"composition,task,value\n{measured[0]},band_gap,1.2\nNaCl,band_gap,oops\nZz,band_gap,1\n"));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.Contains("\"line 3\"", refusal);
        Assert.Contains("\"line 4\"", refusal);
        var csv = $"composition,task,value,notes\n{measured[0]},band_gap,1.2,first batch\n{measured[1]},band_gap,2.4,\n";
        var uploaded = await client.PostAsync($"{loop}/measured?file=round1.csv", Csv(csv));
        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var dataset = (await uploaded.Content.ReadFromJsonAsync<LabDatasetInfo>(Json.Options))!;
        Assert.Equal((1, 2, "robot", "round1.csv"), (dataset.Version, dataset.Rows, dataset.UploadedBy, dataset.FileName));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(csv))), dataset.Sha256);
        var twice = await client.PostAsync($"{loop}/measured", Csv(csv));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("already uploaded", await twice.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync($"{loop}/measured", Csv(""))).StatusCode);
        var huge = await client.PostAsync($"{loop}/measured", new ByteArrayContent(new byte[LoopLimits.MaxUploadBytes + 1]));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);

        // Measured beside predicted, and the loop overview.
        var comparison = (await client.GetFromJsonAsync<MeasuredVsPredicted[]>($"{loop}/comparison", Json.Options))!;
        Assert.Equal(measured, comparison.Select(c => c.Composition));
        Assert.All(comparison, c => Assert.Equal((int?)proposal.Round, c.Round));
        var overview = (await client.GetFromJsonAsync<LoopOverview>(loop, Json.Options))!;
        // The early proposal counts too when the screening had already finished (a fast machine).
        var proposals = early.StatusCode == HttpStatusCode.Created ? 2 : 1;
        Assert.Equal((proposals, 1, 2), (overview.Proposals.Length, overview.Datasets.Length, overview.MeasuredRows));
        Assert.Equal("matbench_expt_gap", overview.Objective);

        // An update with steps out of range, a rescreen with nothing to screen with: refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"{loop}/updates", new { steps = 0 })).StatusCode);
        var rescreen = await client.PostAsync($"{loop}/rescreen", null);
        Assert.Equal(HttpStatusCode.Conflict, rescreen.StatusCode);
        Assert.Contains("no completed update", await rescreen.Content.ReadAsStringAsync());
    }

    private static StringContent Csv(string text) => new(text, Encoding.UTF8, "text/csv");
}
