using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DarwinGrid.Web.Tests.Security;

/// <summary>
/// Every endpoint the app maps, found through its EndpointDataSource: an endpoint this test does not
/// know fails it. Each one is called anonymously, with a wrong key, as a viewer and as an operator
/// (cookie and API key), and must answer 401/redirect, 401, 2xx-or-403 and allowed respectively.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class EndpointAuthorizationTests(WebAppFixture app)
{
    private enum Access { Anonymous, Viewer, Operator }

    /// <param name="MustSucceed">Whether an allowed caller must get a 2xx (false: only not 401/403, e.g. a page's form post without a form).</param>
    private sealed record Expectation(Access Access, string Url, Func<HttpContent?>? Body = null, bool MustSucceed = true);

    private const string Draft = "{draft}";

    /// <summary>The REST API and account endpoints, by "METHOD pattern". Pages and the Orleans dashboard follow rules below.</summary>
    private static readonly Dictionary<string, Expectation> Known = new(StringComparer.Ordinal)
    {
        ["GET /api/campaigns/"] = new(Access.Viewer, "/api/campaigns"),
        ["POST /api/campaigns/"] = new(Access.Operator, "/api/campaigns", () => JsonContent.Create(new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl", "GaAs" } })),
        ["GET /api/campaigns/{id}"] = new(Access.Viewer, $"/api/campaigns/{Draft}"),
        ["POST /api/campaigns/{id}/start"] = new(Access.Operator, $"/api/campaigns/{Draft}/start"),
        ["POST /api/campaigns/{id}/cancel"] = new(Access.Operator, $"/api/campaigns/{Draft}/cancel"),
        ["GET /api/campaigns/{id}/results"] = new(Access.Viewer, $"/api/campaigns/{Draft}/results?page=1&pageSize=5"),
        ["GET /api/campaigns/{id}/export"] = new(Access.Viewer, $"/api/campaigns/{Draft}/export"),
        // The lab loop on a draft campaign: reads answer, changes are refused by the campaign's state (409) but never by authorization.
        ["GET /api/campaigns/{id}/loop/"] = new(Access.Viewer, $"/api/campaigns/{Draft}/loop"),
        ["POST /api/campaigns/{id}/loop/proposals"] = new(Access.Operator, $"/api/campaigns/{Draft}/loop/proposals", () => JsonContent.Create(new { n = 2, rule = "ucb" }), MustSucceed: false),
        ["GET /api/campaigns/{id}/loop/proposals/{round}"] = new(Access.Viewer, $"/api/campaigns/{Draft}/loop/proposals/1", MustSucceed: false),
        ["POST /api/campaigns/{id}/loop/measured"] = new(Access.Operator, $"/api/campaigns/{Draft}/loop/measured",
            () => new StringContent("composition,task,value\nNaCl,band_gap,1\n", System.Text.Encoding.UTF8, "text/csv"), MustSucceed: false),
        ["GET /api/campaigns/{id}/loop/comparison"] = new(Access.Viewer, $"/api/campaigns/{Draft}/loop/comparison"),
        ["POST /api/campaigns/{id}/loop/updates"] = new(Access.Operator, $"/api/campaigns/{Draft}/loop/updates", MustSucceed: false),
        ["GET /api/campaigns/{id}/loop/updates"] = new(Access.Viewer, $"/api/campaigns/{Draft}/loop/updates"),
        ["POST /api/campaigns/{id}/loop/rescreen"] = new(Access.Operator, $"/api/campaigns/{Draft}/loop/rescreen", MustSucceed: false),
        ["POST /api/predict"] = new(Access.Viewer, "/api/predict", () => JsonContent.Create(new { task = "band_gap", compositions = new[] { "NaCl" } })),
        ["GET /api/models"] = new(Access.Viewer, "/api/models"),
        ["GET /api/{documentName}.json"] = new(Access.Viewer, "/api/openapi.json"),
        ["POST /account/login"] = new(Access.Anonymous, "/account/login"),
        ["POST /account/logout"] = new(Access.Anonymous, "/account/logout"),
    };

    [Fact]
    public async Task EveryEndpointRefusesAnonymousCallersAndViewersWritesAndLetsOperatorsIn()
    {
        var cookies = new Dictionary<string, string>
        {
            ["viewer cookie"] = await Sessions.CookieAsync(app, WebAppFixture.ViewerName, WebAppFixture.ViewerPassword),
            ["operator cookie"] = await Sessions.CookieAsync(app, WebAppFixture.OperatorName, WebAppFixture.OperatorPassword),
        };
        var draft = await CreateDraftAsync();

        var unknown = new List<string>();
        var checkedCount = 0;
        foreach (var endpoint in app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? "";
            pattern = pattern.StartsWith('/') ? pattern : "/" + pattern;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods.Where(m => m != "HEAD" && m != "OPTIONS"))
            {
                var expectation = Classify(method, pattern, endpoint, draft, out var infrastructure);
                if (infrastructure)
                    continue;
                if (expectation is null)
                {
                    unknown.Add($"{method} {pattern}");
                    continue;
                }
                await CheckAsync(method, pattern, expectation with { Url = expectation.Url.Replace(Draft, draft) }, cookies);
                checkedCount++;
            }
        }
        Assert.True(unknown.Count == 0, "Endpoints without an authorization expectation in this test: " + string.Join(", ", unknown));
        Assert.True(checkedCount >= Known.Count, $"Only {checkedCount} endpoints checked.");
    }

    private static Expectation? Classify(string method, string pattern, Endpoint endpoint, string draft, out bool infrastructure)
    {
        infrastructure = false;
        if (Known.TryGetValue($"{method} {pattern}", out var known))
            return known;
        if (endpoint.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            if (pattern == "/login")
                return new(Access.Anonymous, "/login", MustSucceed: method == "GET");
            // Pages are for viewers unless the page itself asks for operators (e.g. creating a campaign).
            var forOperators = endpoint.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>()
                .Any(a => a.Policy == DarwinGrid.Web.Security.DashboardPolicies.Operator);
            return new(forOperators ? Access.Operator : Access.Viewer, Fill(pattern, draft), MustSucceed: method == "GET");
        }
        if (pattern.StartsWith("/orleans", StringComparison.Ordinal))
            return new(Access.Operator, Fill(pattern, draft));
        // Blazor's circuit hub and framework scripts, and the static files (CSS, JS, fonts): no data in them.
        // {**path:file}: the development-time static web assets fallback (files under wwwroot of the projects).
        infrastructure = pattern.StartsWith("/_blazor", StringComparison.Ordinal) || pattern.StartsWith("/_framework", StringComparison.Ordinal)
            || pattern == "/{**path:file}"
            || (method == "GET" && !pattern.Contains('{') && Path.HasExtension(pattern) && !pattern.StartsWith("/api", StringComparison.Ordinal));
        return null;
    }

    /// <summary>A URL the pattern matches: numbers for int parameters, the draft campaign's id for the rest.</summary>
    private static string Fill(string pattern, string draft) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, "{[^}]+}", m => m.Value.Contains(":int", StringComparison.Ordinal) || m.Value.Contains(":long", StringComparison.Ordinal) ? "1" : draft);

    private async Task CheckAsync(string method, string pattern, Expectation expectation, Dictionary<string, string> cookies)
    {
        var what = $"{method} {pattern} ({expectation.Url})";
        var api = expectation.Url.StartsWith("/api", StringComparison.Ordinal);
        if (expectation.Access == Access.Anonymous)
        {
            // Sign-in and sign-out take anonymous callers, but a form without its antiforgery token is refused.
            var anonymous = await SendAsync(app.Client(), method, expectation);
            Assert.True(expectation.Url == "/login" && method == "GET" ? anonymous.StatusCode == HttpStatusCode.OK : anonymous.StatusCode == HttpStatusCode.BadRequest,
                $"{what} anonymously: {anonymous.StatusCode}");
            return;
        }

        var refused = await SendAsync(app.Client(), method, expectation);
        if (api)
            Assert.True(refused.StatusCode == HttpStatusCode.Unauthorized, $"{what} anonymously: {refused.StatusCode}, expected 401");
        else
        {
            Assert.True(refused.StatusCode == HttpStatusCode.Redirect, $"{what} anonymously: {refused.StatusCode}, expected a redirect to /login");
            Assert.StartsWith("/login?returnUrl=", refused.Headers.Location!.PathAndQuery);
        }
        var wrongKey = await SendAsync(app.Client("not-a-key-0123456789"), method, expectation);
        Assert.True(wrongKey.StatusCode == HttpStatusCode.Unauthorized, $"{what} with a wrong key: {wrongKey.StatusCode}");

        var viewers = new[] { app.Client(WebAppFixture.ViewerKey), app.Client(cookie: cookies["viewer cookie"]) };
        foreach (var viewer in viewers)
        {
            var answer = await SendAsync(viewer, method, expectation);
            if (expectation.Access == Access.Viewer && (expectation.MustSucceed ? !answer.IsSuccessStatusCode : answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
                Assert.Fail($"{what} as a viewer: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            else if (expectation.Access == Access.Operator)
                Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"{what} as a viewer: {answer.StatusCode}, expected 403");
        }

        var operators = new[] { app.Client(WebAppFixture.OperatorKey), app.Client(cookie: cookies["operator cookie"]) };
        foreach (var @operator in operators)
        {
            var answer = await SendAsync(@operator, method, expectation);
            // The Orleans dashboard's own endpoints may fail on made-up silo or grain names; ours may not.
            var dashboard = pattern.StartsWith("/orleans", StringComparison.Ordinal);
            // (The body is read only on failure: a dashboard stream never ends.)
            if (answer.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (!dashboard && (int)answer.StatusCode >= 500))
                Assert.Fail($"{what} as an operator: {answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string method, Expectation expectation)
    {
        using (client)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), expectation.Url) { Content = expectation.Body?.Invoke() };
            var dashboard = expectation.Url.StartsWith("/orleans", StringComparison.Ordinal);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(dashboard ? 3 : 30));
            try
            {
                // Headers only for the dashboard: its trace endpoint streams and sends nothing until there is a trace.
                var answer = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                if (!dashboard)
                    await answer.Content.LoadIntoBufferAsync();
                return answer;
            }
            catch (OperationCanceledException) when (dashboard)
            {
                // Authorization answers at once; a request still open after 3 s got past it into a stream.
                return new HttpResponseMessage(HttpStatusCode.OK) { ReasonPhrase = "streaming" };
            }
        }
    }

    private async Task<string> CreateDraftAsync()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/campaigns", new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl", "KBr", "GaAs" }, name = "auth draft" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<DarwinGrid.Web.Api.CampaignCreated>(Json.Options))!.Status.Id;
    }
}
