using System.Net;
using System.Net.Http.Json;

namespace DarwinGrid.Web.Tests.Security;

/// <summary>
/// CSRF: a change authorised by the sign-in cookie must come from the site's own origin; the same
/// change with an API key is not affected.
/// </summary>
[Collection(WebAppCollection.Name)]
public sealed class CrossOriginTests(WebAppFixture app)
{
    private async Task<string> DraftAsync()
    {
        using var client = app.Client(WebAppFixture.OperatorKey);
        var created = await client.PostAsJsonAsync("/api/campaigns", new { tasks = new[] { "band_gap" }, compositions = new[] { "NaCl" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<DarwinGrid.Web.Api.CampaignCreated>(Json.Options))!.Status.Id;
    }

    private static async Task<HttpResponseMessage> CancelAsync(HttpClient client, string id, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/campaigns/{id}/cancel")
        {
            // The form body a foreign page can send without a preflight.
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
        };
        foreach (var (name, value) in headers)
            request.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task ACookieCancelFromAForeignOriginOrAnotherPortIsRefusedAndFromTheSiteItselfAllowed()
    {
        var cookie = await Sessions.CookieAsync(app, WebAppFixture.OperatorName, WebAppFixture.OperatorPassword);
        var id = await DraftAsync();
        var port = app.BaseAddress.Port;
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        browser.DefaultRequestHeaders.Add("Cookie", cookie);

        foreach (var foreign in new[] { "https://evil.example", $"http://127.0.0.1:{port + 1}", $"http://localhost:{port}", "null" })
        {
            var answer = await CancelAsync(browser, id, ("Origin", foreign));
            Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"Origin {foreign}: {answer.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.Forbidden, (await CancelAsync(browser, id, ("Sec-Fetch-Site", "same-site"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await CancelAsync(browser, id, ("Sec-Fetch-Site", "cross-site"))).StatusCode);
        // Neither header: not a browser on the dashboard; scripts use a key.
        Assert.Equal(HttpStatusCode.Forbidden, (await CancelAsync(browser, id)).StatusCode);

        using var status = app.Client(WebAppFixture.ViewerKey);
        Assert.Equal(Grains.Campaigns.CampaignState.Draft, (await status.GetFromJsonAsync<Grains.Campaigns.CampaignStatus>($"/api/campaigns/{id}", Json.Options))!.State);

        Assert.Equal(HttpStatusCode.OK, (await CancelAsync(browser, id, ("Origin", app.Origin))).StatusCode);
    }

    [Fact]
    public async Task AnApiKeyCallIsNotAffectedByItsOrigin()
    {
        var id = await DraftAsync();
        using var robot = app.Client(WebAppFixture.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, (await CancelAsync(robot, id, ("Origin", "https://evil.example"))).StatusCode);
    }

    [Fact]
    public async Task TheDashboardCircuitRefusesAWebSocketFromAForeignOrigin()
    {
        var cookie = await Sessions.CookieAsync(app, WebAppFixture.ViewerName, WebAppFixture.ViewerPassword);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/_blazor?id=x");
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", Convert.ToBase64String(Guid.NewGuid().ToByteArray()));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendAsync(request)).StatusCode);
    }
}
