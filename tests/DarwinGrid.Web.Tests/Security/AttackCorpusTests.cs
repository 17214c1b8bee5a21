using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DarwinGrid.Web.Tests.Security;

/// <summary>
/// Every attack string of AttackCorpus/attack-strings.json in every place a client controls (JSON
/// fields and raw bodies, campaign ids in paths, query parameters, return URLs, compositions that end
/// up as CSV cells, dashboard page routes) against the real server: no answer is a 5xx, and the server
/// still serves afterwards.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class AttackCorpusTests(WebAppFixture app)
{
    private static readonly string[] Corpus = Load();

    private static string[] Load()
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AttackCorpus", "attack-strings.json")));
        var strings = file.RootElement.GetProperty("strings").EnumerateArray().Select(s => s.GetString()!).ToList();
        // Generated: too long for the file to hold readably.
        strings.AddRange([new string('A', 10_000), new string('{', 5_000), string.Concat(Enumerable.Repeat("Fe", 600)), new string('(', 40) + "Fe" + new string(')', 40)]);
        return [.. strings];
    }

    private sealed class Failures
    {
        private readonly List<string> _list = [];

        public async Task CheckAsync(string what, Task<HttpResponseMessage> send)
        {
            using var answer = await send;
            if ((int)answer.StatusCode >= 500)
                _list.Add($"{what}: {(int)answer.StatusCode} {Shorten(await answer.Content.ReadAsStringAsync())}");
        }

        public void Add(string failure) => _list.Add(failure);

        public void AssertNone(int checkedCount) =>
            Assert.True(_list.Count == 0, $"{_list.Count} of {checkedCount} answers failed:\n" + string.Join("\n", _list.Take(40)));
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static string Show(string text) => JsonSerializer.Serialize(Shorten(text));

    private static HttpContent JsonOf(object body) => new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    [Fact]
    public async Task NoAttackStringAnywhereGetsA5xxAndTheServerStillServes()
    {
        using var api = app.Client(WebAppFixture.OperatorKey);
        var cookie = await Sessions.CookieAsync(app, WebAppFixture.OperatorName, WebAppFixture.OperatorPassword);
        using var browser = app.Client(cookie: cookie);
        var created = await api.PostAsJsonAsync("/api/campaigns", new { tasks = new[] { "band_gap", "is_metal" }, compositions = new[] { "NaCl", "GaAs" } });
        var target = (await created.Content.ReadFromJsonAsync<DarwinGrid.Web.Api.CampaignCreated>(Json.Options))!.Status.Id;

        var failures = new Failures();
        var count = 0;
        foreach (var s in Corpus)
        {
            var shown = Show(s);
            var bodies = new (string Field, object Body)[]
            {
                ("id", new { id = s, tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" } }),
                ("name", new { name = s, tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" } }),
                ("tasks", new { tasks = new[] { s }, compositions = new[] { "NaCl" } }),
                ("compositions", new { tasks = new[] { "band_gap" }, compositions = new[] { s } }),
                ("filters", new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" }, filters = new[] { s } }),
                ("objectives", new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" }, objectives = new[] { s } }),
                ("generate", new { tasks = new[] { "band_gap" }, generate = s }),
                ("model", new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" }, model = s }),
            };
            foreach (var (field, body) in bodies)
            {
                await failures.CheckAsync($"POST /api/campaigns {field}={shown}", api.PostAsync("/api/campaigns", JsonOf(body)));
                count++;
            }
            await failures.CheckAsync($"POST /api/campaigns raw body {shown}", api.PostAsync("/api/campaigns", new StringContent(s, Encoding.UTF8, "application/json")));
            await failures.CheckAsync($"POST /api/predict task={shown}", api.PostAsync("/api/predict", JsonOf(new { task = s, compositions = new[] { "NaCl" } })));
            await failures.CheckAsync($"POST /api/predict model={shown}", api.PostAsync("/api/predict", JsonOf(new { task = "band_gap", compositions = new[] { "NaCl" }, model = s })));
            await failures.CheckAsync($"POST /api/predict raw body {shown}", api.PostAsync("/api/predict", new StringContent(s, Encoding.UTF8, "application/json")));
            count += 4;

            var id = Uri.EscapeDataString(s);
            foreach (var path in new[] { $"/api/campaigns/{id}", $"/api/campaigns/{id}/results", $"/api/campaigns/{id}/export" })
                await failures.CheckAsync($"GET {path}", api.GetAsync(path));
            foreach (var path in new[] { $"/api/campaigns/{id}/start", $"/api/campaigns/{id}/cancel" })
                await failures.CheckAsync($"POST {path}", api.PostAsync(path, null));
            await failures.CheckAsync($"GET page /campaigns/{id}", browser.GetAsync($"/campaigns/{id}"));
            count += 6;

            foreach (var parameter in new[] { "sort", "filter", "contains", "page", "pageSize", "passing" })
            {
                await failures.CheckAsync($"GET results {parameter}={shown}", api.GetAsync($"/api/campaigns/{target}/results?{parameter}={Uri.EscapeDataString(s)}"));
                count++;
            }
        }

        // Compositions that parse become candidates, and so cells of the CSV export.
        var compositions = Corpus.Where(s => Domain.Compositions.CompositionParser.TryParse(s, out _, out _)).Append("NaCl").ToArray();
        var withCells = await api.PostAsync("/api/campaigns", JsonOf(new { tasks = new[] { "band_gap" }, compositions, name = "=cmd|' /C calc'!A0" }));
        Assert.Equal(HttpStatusCode.Created, withCells.StatusCode);
        var cellsId = (await withCells.Content.ReadFromJsonAsync<DarwinGrid.Web.Api.CampaignCreated>(Json.Options))!.Status.Id;
        await failures.CheckAsync("GET export of the corpus' compositions", api.GetAsync($"/api/campaigns/{cellsId}/export"));

        // Filters and objectives far over the caps, in a create and in a query.
        var thousand = Enumerable.Range(0, 1000).Select(i => $"band_gap > {i}").ToArray();
        await failures.CheckAsync("POST /api/campaigns 1,000 filters", api.PostAsync("/api/campaigns", JsonOf(new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" }, filters = thousand })));
        await failures.CheckAsync("GET results 1,000 filters", api.GetAsync($"/api/campaigns/{target}/results?passing=true&" + string.Join("&", thousand.Select(f => "filter=" + Uri.EscapeDataString(f)))));
        await failures.CheckAsync("POST raw body nested 100,000 deep", api.PostAsync("/api/campaigns", new StringContent(new string('[', 100_000), Encoding.UTF8, "application/json")));
        count += 4;

        // Return URLs after a correct sign-in: a local path or "/", never another host, never a 5xx.
        foreach (var s in Corpus.Take(60))
        {
            var answer = await Sessions.LoginAsync(app, WebAppFixture.ViewerName, WebAppFixture.ViewerPassword, s);
            count++;
            if ((int)answer.Status >= 500)
                failures.Add($"sign-in with returnUrl={Show(s)}: {(int)answer.Status}");
            else if (answer.Location is { } location && (!location.StartsWith('/') || location.StartsWith("//", StringComparison.Ordinal) || location.Any(char.IsControl) || location.Contains('\\')))
                failures.Add($"sign-in with returnUrl={Show(s)} redirects to {Show(location)}");
        }
        failures.AssertNone(count);

        // Still serving: the API answers and a user signs in.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/models")).StatusCode);
        Assert.NotNull((await Sessions.LoginAsync(app, "admin", WebAppFixture.AdminPassword)).AuthCookie);
    }

    [Fact]
    public async Task ABodyOverTheSizeLimitIs413AndAThousandFiltersAre400NamingTheCap()
    {
        using var api = app.Client(WebAppFixture.OperatorKey);
        using var huge = new HttpRequestMessage(HttpMethod.Post, "/api/campaigns") { Content = new ByteArrayContent(new byte[31_000_000]) };
        huge.Content.Headers.ContentType = new("application/json");
        // As curl does for large bodies: the server can refuse before the body is sent.
        huge.Headers.ExpectContinue = true;
        var tooLarge = await api.SendAsync(huge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        var thousand = Enumerable.Range(0, 1000).Select(i => $"band_gap > {i}").ToArray();
        var create = await api.PostAsync("/api/campaigns", JsonOf(new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" }, filters = thousand }));
        Assert.Equal(HttpStatusCode.BadRequest, create.StatusCode);
        Assert.Contains($"at most {Grains.Campaigns.CampaignLimits.MaxFilters}", await create.Content.ReadAsStringAsync());
        var objectives = await api.PostAsync("/api/campaigns", JsonOf(new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" }, objectives = thousand.Select(_ => "band_gap max").ToArray() }));
        Assert.Contains($"at most {Grains.Campaigns.CampaignLimits.MaxObjectives}", await objectives.Content.ReadAsStringAsync());

        var created = await api.PostAsJsonAsync("/api/campaigns", new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" } });
        var id = (await created.Content.ReadFromJsonAsync<DarwinGrid.Web.Api.CampaignCreated>(Json.Options))!.Status.Id;
        // 1,000 filters do not fit in a URL (Kestrel answers 414); 100 do, and are over the cap.
        var query = await api.GetAsync($"/api/campaigns/{id}/results?passing=true&" + string.Join("&", thousand.Take(100).Select(f => "filter=" + Uri.EscapeDataString(f))));
        Assert.Equal(HttpStatusCode.BadRequest, query.StatusCode);
        Assert.Contains($"at most {Grains.Campaigns.CampaignLimits.MaxFilters}", await query.Content.ReadAsStringAsync());
    }
}
