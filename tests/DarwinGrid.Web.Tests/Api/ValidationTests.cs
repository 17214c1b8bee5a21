using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DarwinGrid.Web.Tests.Api;

/// <summary>Bad requests get a 400 problem document whose errors name the field (and the row).</summary>
[Collection(WebAppCollection.Name)]
public sealed class ValidationTests(WebAppFixture app)
{
    [Fact]
    public async Task UnknownTasksBadFormulasAndBadFiltersAreNamedOneByOne()
    {
        var errors = await BadRequestAsync("/api/campaigns", """
            { "tasks": ["band_gap", "colour"], "compositions": ["NaCl", "Xx2O", "GaAs", "Fe(2"], "filters": ["band_gap is blue"], "objectives": ["maximize nothing"] }
            """);
        Assert.Contains("Unknown task 'colour'", errors["tasks[1]"]);
        Assert.Contains("'Xx2O' is not a composition", errors["compositions[1]"]);
        Assert.Contains("'Fe(2' is not a composition", errors["compositions[3]"]);
        Assert.False(errors.ContainsKey("compositions[0]"));
        Assert.False(errors.ContainsKey("compositions[2]"));
        Assert.Contains("band_gap is blue", errors["filters[0]"]);
        Assert.True(errors.ContainsKey("objectives[0]"));
    }

    [Fact]
    public async Task MalformedJsonWrongTypesAndUnknownMembersAreNamed()
    {
        var truncated = await BadRequestAsync("/api/campaigns", """{ "tasks": ["band_gap"], "compositions": ["NaCl" """);
        Assert.StartsWith("compositions", Assert.Single(truncated).Key);
        Assert.Contains("Invalid JSON (line 1", Assert.Single(truncated).Value);
        Assert.Contains("Invalid JSON", (await BadRequestAsync("/api/campaigns", """{ "tasks": "band_gap" }"""))["tasks"]);
        Assert.Contains("could not be mapped", (await BadRequestAsync("/api/campaigns", """{ "task": ["band_gap"] }"""))["task"]);
        Assert.Contains("exactly one of 'compositions'", (await BadRequestAsync("/api/campaigns", """{ "tasks": ["band_gap"] }"""))["compositions"]);
        Assert.Contains("is not a campaign id", (await BadRequestAsync("/api/campaigns", """{ "id": "../x", "tasks": ["band_gap"], "compositions": ["NaCl"] }"""))["id"]);
        Assert.Contains("generate", (await BadRequestAsync("/api/campaigns", """{ "tasks": ["band_gap"], "generate": "{A}O; A=unobtainium" }""")).Keys);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonIsAnUnsupportedMediaType()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        foreach (var url in new[] { "/api/campaigns", "/api/predict" })
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync(url, new StringContent("tasks=band_gap", Encoding.UTF8, "text/plain"))).StatusCode);
    }

    [Fact]
    public async Task PredictRefusesTooManyCompositionsAndNamesBadRowsAndTasks()
    {
        var many = JsonSerializer.Serialize(new { task = "band_gap", compositions = Enumerable.Repeat("NaCl", 257) });
        Assert.Contains("at most 256", (await BadRequestAsync("/api/predict", many))["compositions"]);
        var errors = await BadRequestAsync("/api/predict", """{ "task": "colour", "compositions": ["NaCl", "Qq"] }""");
        Assert.Contains("Unknown task 'colour'", errors["task"]);
        Assert.Contains("'Qq' is not a composition", errors["compositions[1]"]);
        Assert.Contains("not registered", (await BadRequestAsync("/api/predict", """{ "task": "band_gap", "compositions": ["NaCl"], "model": "nope" }"""))["model"]);
    }

    [Fact]
    public async Task AnUnknownEstimateOrRankingIsA400NamingTheField()
    {
        var campaign = await BadRequestAsync("/api/campaigns", """{ "tasks": ["band_gap"], "compositions": ["NaCl"], "estimate": "mode" }""");
        Assert.Contains("'mode' is not an estimate; expected median|mean|greedy", Assert.Single(campaign, e => e.Key == "estimate").Value);
        Assert.Contains("'best' is not a ranking", (await BadRequestAsync("/api/campaigns", """{ "tasks": ["band_gap"], "compositions": ["NaCl"], "rank": "best" }"""))["rank"]);
        Assert.Contains("needs at least one filter", (await BadRequestAsync("/api/campaigns", """{ "tasks": ["band_gap"], "compositions": ["NaCl"], "rank": "success" }"""))["rank"]);
        var predict = await BadRequestAsync("/api/predict", """{ "task": "band_gap", "compositions": ["NaCl"], "estimate": "" }""");
        Assert.Contains("is not an estimate", predict["estimate"]);
    }

    [Fact]
    public async Task ResultQueriesNameTheBadParameterAndUnknownCampaignsAre404()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/campaigns", new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" } });
        var id = (await created.Content.ReadFromJsonAsync<DarwinGrid.Web.Api.CampaignCreated>(Json.Options))!.Status.Id;
        Assert.Contains("between 1 and 500", (await BadRequestAsync($"/api/campaigns/{id}/results?pageSize=501", null))["pageSize"]);
        Assert.Contains("whole number", (await BadRequestAsync($"/api/campaigns/{id}/results?page=x", null))["page"]);
        Assert.Contains("is_metal", (await BadRequestAsync($"/api/campaigns/{id}/results?sort=is_metal", null))["sort"]);
        Assert.True((await BadRequestAsync($"/api/campaigns/{id}/results?filter=band_gap%20is%20blue", null)).ContainsKey("filter[0]"));

        foreach (var url in new[] { "/api/campaigns/nope", "/api/campaigns/nope/results", "/api/campaigns/nope/export" })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/campaigns/nope/start", null)).StatusCode);
    }

    /// <summary>POSTs <paramref name="json"/> (or GETs when null) as an operator and returns the problem's errors, field → joined messages.</summary>
    private async Task<Dictionary<string, string>> BadRequestAsync(string url, string? json, string contentType = "application/json")
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var answer = json is null ? await client.GetAsync(url) : await client.PostAsync(url, new StringContent(json, Encoding.UTF8, contentType));
        var text = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.BadRequest, $"{url}: {answer.StatusCode} {text}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType!.MediaType);
        using var problem = JsonDocument.Parse(text);
        return problem.RootElement.GetProperty("errors").EnumerateObject()
            .ToDictionary(p => p.Name, p => string.Join(" ", p.Value.EnumerateArray().Select(m => m.GetString())));
    }
}
