using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Web.Api;

namespace DarwinGrid.Web.Tests.Api;

/// <summary>A campaign through the REST API with an operator key: create, start, poll until done, page, export.</summary>
[Collection(WebAppCollection.Name)]
public sealed class CampaignApiTests(WebAppFixture app)
{
    [Fact]
    public async Task ACreatedAndStartedCampaignCompletesAndItsResultsPageAndExportCompletely()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/campaigns", new
        {
            name = "perovskites",
            tasks = new[] { "band_gap", "is_metal" },
            generate = "{A}{B}O3; A=alkaline-earth; B=3d",
            filters = new[] { "band_gap between 0 and 100" },
            objectives = new[] { "band_gap target 1.4" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = (await created.Content.ReadFromJsonAsync<CampaignCreated>(Json.Options))!;
        var id = body.Status.Id;
        Assert.Equal($"/api/campaigns/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal(CampaignState.Draft, body.Status.State);

        var started = await client.PostAsync($"/api/campaigns/{id}/start", null);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);

        CampaignStatus status;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        do
        {
            await Task.Delay(200);
            status = (await client.GetFromJsonAsync<CampaignStatus>($"/api/campaigns/{id}", Json.Options))!;
        }
        while (!status.IsFinished && DateTime.UtcNow < deadline);
        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal(60, status.Candidates); // 6 alkaline-earth x 10 3d metals
        Assert.Equal(120, status.Done);

        // Pages of 7 by composition cover every candidate once, in order.
        var seen = new List<string>();
        ResultsPage page;
        var number = 1;
        do
        {
            page = (await client.GetFromJsonAsync<ResultsPage>($"/api/campaigns/{id}/results?page={number++}&pageSize=7&sort=composition", Json.Options))!;
            Assert.Equal(60, page.TotalCount);
            Assert.Equal(9, page.TotalPages);
            seen.AddRange(page.Items.Select(i => i.Composition));
        }
        while (page.Items.Length == 7);
        Assert.Equal(60, seen.Count);
        Assert.Equal(60, seen.Distinct().Count());
        Assert.Equal(seen.Order(StringComparer.Ordinal), seen);

        // The default order is the campaign's ranking (score, best first); a filter narrows the total.
        var ranked = (await client.GetFromJsonAsync<ResultsPage>($"/api/campaigns/{id}/results?pageSize=60", Json.Options))!;
        var scores = ranked.Items.Select(i => i.Score ?? double.NegativeInfinity).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        var filtered = (await client.GetFromJsonAsync<ResultsPage>(
            $"/api/campaigns/{id}/results?pageSize=60&filter={Uri.EscapeDataString("is_metal = true")}", Json.Options))!;
        var metal = Assert.Single(filtered.Items.Select(i => i.Predictions["matbench_is_metal"].Label).Distinct());
        Assert.Equal(ranked.Items.Count(i => i.Predictions["matbench_is_metal"].Label == metal), filtered.TotalCount);
        Assert.InRange(filtered.TotalCount, 1, 59); // the random model says both, so the filter really narrows

        var export = await client.GetAsync($"/api/campaigns/{id}/export");
        Assert.Equal("text/csv", export.Content.Headers.ContentType!.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("index,input,composition,passes_filters,score,pareto_rank,matbench_expt_gap,", lines[0]);
        Assert.EndsWith(",matbench_expt_gap_low,matbench_expt_gap_high,matbench_is_metal_low,matbench_is_metal_high,success_probability", lines[0].TrimEnd('\r'));
        Assert.Equal(61, lines.Length);
        var exported = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(Enumerable.Range(0, 60).Select(i => i.ToString(CultureInfo.InvariantCulture)), exported.Select(f => f[0]));
        Assert.Equal(seen.Order(StringComparer.Ordinal), exported.Select(f => f[2]).Order(StringComparer.Ordinal));

        var list = (await client.GetFromJsonAsync<CampaignStatus[]>("/api/campaigns", Json.Options))!;
        Assert.Contains(list, c => c.Id == id && c.Name == "perovskites" && c.State == CampaignState.Completed);

        var again = await client.PostAsync($"/api/campaigns/{id}/start", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task ACampaignCreatedWithStartRunsAndCanBeCancelled()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/campaigns", new
        {
            id = "api-cancel-me", tasks = new[] { "band_gap" }, compositions = Enumerable.Range(1, 400).Select(i => $"Fe{i}O{i + 1}").ToArray(), start = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(CampaignState.Running, (await created.Content.ReadFromJsonAsync<CampaignCreated>(Json.Options))!.Status.State);
        var cancelled = await client.PostAsync("/api/campaigns/api-cancel-me/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal(CampaignState.Cancelled, (await cancelled.Content.ReadFromJsonAsync<CampaignStatus>(Json.Options))!.State);

        var duplicate = await client.PostAsJsonAsync("/api/campaigns", new { id = "api-cancel-me", tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" } });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
    }

    [Fact]
    public async Task PredictAnswersEveryCompositionInOrderThroughAModelGrain()
    {
        using var client = app.Client(WebAppFixture.ViewerKey);
        var answer = await client.PostAsJsonAsync("/api/predict", new { task = "band_gap", compositions = new[] { "GaAs", "NaCl", "As1Ga1" } });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var body = (await answer.Content.ReadFromJsonAsync<PredictResponse>(Json.Options))!;
        Assert.Equal("matbench_expt_gap", body.Task);
        Assert.Equal("darwin-mini", body.ModelVersion);
        Assert.Equal(["GaAs", "NaCl", "As1Ga1"], body.Predictions.Select(p => p.Input));
        Assert.Equal(body.Predictions[0].Composition, body.Predictions[2].Composition);
        // The same canonical composition gets the same (greedy) answer.
        Assert.Equal(body.Predictions[0].RawAnswer, body.Predictions[2].RawAnswer);
        Assert.All(body.Predictions, p => Assert.True(p.Value is not null || p.Error is not null));
        Assert.Equal("median", body.Estimate);

        // Greedy answers have no distribution, so no interval.
        var greedy = (await (await client.PostAsJsonAsync("/api/predict", new { task = "band_gap", compositions = new[] { "GaAs" }, estimate = "greedy" }))
            .Content.ReadFromJsonAsync<PredictResponse>(Json.Options))!;
        Assert.Equal("greedy", greedy.Estimate);
        Assert.All(greedy.Predictions, p => Assert.Equal((null, null, null), (p.Low, p.High, p.Distribution)));
    }

    [Fact]
    public async Task TheOpenApiDocumentDescribesTheEndpoints()
    {
        using var client = app.Client(WebAppFixture.ViewerKey);
        using var document = System.Text.Json.JsonDocument.Parse(await client.GetStringAsync("/api/openapi.json"));
        var paths = document.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/api/campaigns", "/api/campaigns/{id}", "/api/campaigns/{id}/start", "/api/campaigns/{id}/cancel",
                     "/api/campaigns/{id}/results", "/api/campaigns/{id}/export", "/api/predict", "/api/models" })
            Assert.True(paths.TryGetProperty(path, out _), $"{path} is not in the OpenAPI document");
        Assert.False(paths.TryGetProperty("/account/login", out _));
    }
}
