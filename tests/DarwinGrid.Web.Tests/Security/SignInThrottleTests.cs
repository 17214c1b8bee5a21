using System.Net;

namespace DarwinGrid.Web.Tests.Security;

/// <summary>
/// The sign-in throttle against the real server: wrong guesses from elsewhere cannot lock a user out,
/// parallel guesses cannot pass the limit, and a forwarded address counts only from the configured proxy.
/// </summary>
[Collection(GuardedWebAppCollection.Name)]
public sealed class SignInThrottleTests(GuardedWebAppFixture app)
{
    private static bool Invalid(Sessions.LoginAnswer answer) => answer.Location?.Contains("error=invalid", StringComparison.Ordinal) == true;

    private static bool Throttled(Sessions.LoginAnswer answer) => answer.Location?.Contains("error=throttled", StringComparison.Ordinal) == true;

    [Fact]
    public async Task WrongPasswordsFromAnotherAddressCannotLockTheOperatorOut()
    {
        // 12 wrong guesses from 127.0.0.3 (not the proxy): after 5 that address is refused for the name...
        var answers = new List<Sessions.LoginAnswer>();
        for (var i = 0; i < 12; i++)
            answers.Add(await Sessions.LoginAsync(app.ClientFrom("127.0.0.3"), WebAppFixture.OperatorName, $"guess-{i}"));
        Assert.Equal(5, answers.Count(Invalid));
        Assert.Equal(7, answers.Count(Throttled));

        // ...but the operator, from their own address, signs in (after the short delay on the name).
        var owner = await Sessions.LoginAsync(app.ClientFrom("127.0.0.4"), WebAppFixture.OperatorName, WebAppFixture.OperatorPassword);
        Assert.Equal("/", owner.Location);
        Assert.NotNull(owner.AuthCookie);
    }

    [Fact]
    public async Task ParallelWrongGuessesFromOneAddressLetAtMostTheLimitThrough()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            Sessions.LoginAsync(app.ClientFrom("127.0.0.5"), "admin", $"parallel-{i}")));
        Assert.Equal(24, answers.Count(a => a.Status == HttpStatusCode.Redirect));
        Assert.Equal(5, answers.Count(Invalid));
        Assert.Equal(19, answers.Count(Throttled));
        Assert.All(answers, a => Assert.Null(a.AuthCookie));
    }

    [Fact]
    public async Task AForwardedAddressCountsOnlyWhenTheConfiguredProxySendsIt()
    {
        // Through the proxy (127.0.0.1), each forwarded client is its own address: one exhausting its
        // guesses leaves the next one free.
        for (var i = 0; i < 5; i++)
            Assert.True(Invalid(await Sessions.LoginAsync(app.ClientFrom(GuardedWebAppFixture.Proxy, ("X-Forwarded-For", "198.51.100.1")), WebAppFixture.ViewerName, $"x{i}")));
        Assert.True(Throttled(await Sessions.LoginAsync(app.ClientFrom(GuardedWebAppFixture.Proxy, ("X-Forwarded-For", "198.51.100.1")), WebAppFixture.ViewerName, "x")));
        Assert.True(Invalid(await Sessions.LoginAsync(app.ClientFrom(GuardedWebAppFixture.Proxy, ("X-Forwarded-For", "198.51.100.2")), WebAppFixture.ViewerName, "y")));

        // From 127.0.0.6, which is not the proxy, the header is the client's own claim and is ignored:
        // changing it does not buy new guesses.
        for (var i = 0; i < 5; i++)
            Assert.True(Invalid(await Sessions.LoginAsync(app.ClientFrom("127.0.0.6", ("X-Forwarded-For", $"192.0.2.{i + 1}")), WebAppFixture.ViewerName, $"z{i}")));
        Assert.True(Throttled(await Sessions.LoginAsync(app.ClientFrom("127.0.0.6", ("X-Forwarded-For", "192.0.2.99")), WebAppFixture.ViewerName, "z")));
    }

    [Fact]
    public async Task AForwardedHttpsMakesTheCookieSecureAndSendsHstsOnlyFromTheConfiguredProxy()
    {
        var proxied = await Sessions.LoginAsync(app.ClientFrom(GuardedWebAppFixture.Proxy, ("X-Forwarded-Proto", "https"), ("Host", "darwingrid.example")),
            WebAppFixture.ViewerName, WebAppFixture.ViewerPassword);
        Assert.Contains("; secure", AuthSetCookie(proxied), StringComparison.OrdinalIgnoreCase);
        using (var proxy = app.ClientFrom(GuardedWebAppFixture.Proxy, ("X-Forwarded-Proto", "https"), ("Host", "darwingrid.example")))
            Assert.Equal(DarwinGrid.Web.Security.SecurityHeaders.HstsValue, (await proxy.GetAsync("/login")).Headers.GetValues("Strict-Transport-Security").Single());

        using var direct = app.ClientFrom("127.0.0.7", ("X-Forwarded-Proto", "https"));
        Assert.False((await direct.GetAsync("/login")).Headers.Contains("Strict-Transport-Security"));
        var notProxied = await Sessions.LoginAsync(app.ClientFrom("127.0.0.7", ("X-Forwarded-Proto", "https")), WebAppFixture.ViewerName, WebAppFixture.ViewerPassword);
        Assert.DoesNotContain("; secure", AuthSetCookie(notProxied), StringComparison.OrdinalIgnoreCase);
    }

    private static string AuthSetCookie(Sessions.LoginAnswer answer) =>
        answer.SetCookies.Single(c => c.StartsWith(DarwinGrid.Web.Security.DashboardAuthentication.CookieName + "=", StringComparison.Ordinal));
}
