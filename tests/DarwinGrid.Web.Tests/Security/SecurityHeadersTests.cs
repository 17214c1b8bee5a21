using System.Net;

namespace DarwinGrid.Web.Tests.Security;

/// <summary>Every answer carries the security headers; HSTS and Secure cookies wherever the request is not loopback-only.</summary>
[Collection(WebAppCollection.Name)]
public sealed class SecurityHeadersTests(WebAppFixture app)
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/")]
    [InlineData("/api/models")]
    [InlineData("/api/campaigns/nope")]
    [InlineData("/no-such-page")]
    public async Task EveryAnswerCarriesTheSecurityHeaders(string path)
    {
        using var client = app.Client();
        var answer = await client.GetAsync(path);
        Assert.Equal("nosniff", answer.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", answer.Headers.GetValues("Referrer-Policy").Single());
        var csp = string.Join(", ", answer.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'self'", csp);
        Assert.Contains("script-src 'self'", csp);
        Assert.Contains("object-src 'none'", csp);
        // Over plain HTTP on loopback: no HSTS (it would pin localhost to HTTPS for every local app).
        Assert.False(answer.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task TheCookiesAreSecureWhenTheSiteIsReachedByANameThatIsNotLoopback()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.BaseAddress };
        client.DefaultRequestHeaders.Host = "darwingrid.example";
        var answer = await Sessions.LoginAsync(client, WebAppFixture.ViewerName, WebAppFixture.ViewerPassword);
        Assert.Equal(HttpStatusCode.Redirect, answer.Status);
        Assert.All(answer.SetCookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));

        var local = await Sessions.LoginAsync(app, WebAppFixture.ViewerName, WebAppFixture.ViewerPassword);
        Assert.DoesNotContain("; secure", local.SetCookies.Single(c => c.StartsWith("DarwinGrid.Auth=", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }
}
