using System.Net;
using System.Text.RegularExpressions;

namespace DarwinGrid.Web.Tests.Support;

/// <summary>Signs in through the login page's form, as a browser does: GET /login, then POST the form with its antiforgery token.</summary>
public static partial class Sessions
{
    public sealed record LoginAnswer(HttpStatusCode Status, string? Location, string? AuthCookie, IReadOnlyList<string> SetCookies);

    public static Task<LoginAnswer> LoginAsync(WebAppFixture app, string user, string password, string returnUrl = "/") =>
        LoginAsync(app.BaseAddress, user, password, returnUrl);

    public static Task<LoginAnswer> LoginAsync(Uri site, string user, string password, string returnUrl = "/") =>
        LoginAsync(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = site }, user, password, returnUrl);

    /// <summary>Signs in through <paramref name="client"/> (its default headers go along: a forwarded address, a Host); disposes it.</summary>
    public static async Task<LoginAnswer> LoginAsync(HttpClient client, string user, string password, string returnUrl = "/")
    {
        using var _ = client;
        var page = await client.GetAsync($"/login?returnUrl={Uri.EscapeDataString(returnUrl)}");
        page.EnsureSuccessStatusCode();
        var html = await page.Content.ReadAsStringAsync();
        var token = TokenPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("The login page has no antiforgery token.");
        var antiforgeryCookie = string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));

        using var post = new HttpRequestMessage(HttpMethod.Post, "/account/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["UserName"] = user, ["Password"] = password, ["ReturnUrl"] = returnUrl,
            }),
        };
        post.Headers.Add("Cookie", antiforgeryCookie);
        var answer = await client.SendAsync(post);
        var setCookies = answer.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
        var auth = setCookies.FirstOrDefault(c => c.StartsWith(DarwinGrid.Web.Security.DashboardAuthentication.CookieName + "=", StringComparison.Ordinal));
        return new LoginAnswer(answer.StatusCode, answer.Headers.Location?.OriginalString, auth?.Split(';')[0], setCookies);
    }

    /// <summary>The sign-in cookie of a user (fails the test when the sign-in fails).</summary>
    public static async Task<string> CookieAsync(WebAppFixture app, string user, string password) =>
        (await LoginAsync(app, user, password)).AuthCookie ?? throw new InvalidOperationException($"{user} could not sign in.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
