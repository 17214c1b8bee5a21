using System.Net;
using System.Net.Http.Json;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;
using DarwinGrid.Web.Security;
using Microsoft.Extensions.DependencyInjection;

namespace DarwinGrid.Web.Tests.Hosting;

/// <summary>'darwin web': the dashboard and API as an Orleans client of a silo running elsewhere (here: another host in this process).</summary>
public sealed class WebClientModeTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("web-client-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task TheWebClientServesTheApiFromTheSiloItJoinedAndItsFirstRunPasswordSignsIn()
    {
        var gateway = DarwinHost.FreePort();
        using var silo = DarwinHost.CreateSilo(new Dictionary<string, string?>
        {
            ["DarwinGrid:Home"] = _home, ["DarwinGrid:DataDir"] = SharedData.Root, ["Logging:LogLevel:Default"] = "Warning",
        }, (DarwinHost.FreePort(), gateway));
        await silo.StartAsync();
        try
        {
            var console = new StringWriter();
            await using var web = DarwinHost.CreateWebClient(new Dictionary<string, string?>
            {
                ["DarwinGrid:Home"] = _home,
                ["DarwinGrid:Urls"] = "http://127.0.0.1:0",
                ["DarwinGrid:GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["DarwinGrid:Web:ApiKeys:0:Name"] = "svc",
                ["DarwinGrid:Web:ApiKeys:0:Role"] = "viewer",
                ["DarwinGrid:Web:ApiKeys:0:Key"] = "client-mode-key-0123456789",
                ["Logging:LogLevel:Default"] = "Warning",
            }, services => services.AddSingleton(new FirstRunNotice(console)));
            await web.StartAsync();
            using var client = new HttpClient { BaseAddress = new Uri(web.Urls.Single()) };
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, "client-mode-key-0123456789");
            Assert.Empty((await client.GetFromJsonAsync<Grains.Campaigns.CampaignStatus[]>("/api/campaigns", Json.Options))!);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/models")).StatusCode);

            // No admin password configured: one was generated, printed, and its hash stored in the home folder.
            var password = System.Text.RegularExpressions.Regex.Match(console.ToString(), "password '([^']+)'").Groups[1].Value;
            Assert.True(File.Exists(Path.Combine(_home, AdminAccount.FileName)));
            Assert.Null((await Sessions.LoginAsync(client.BaseAddress!, "admin", password + "x")).AuthCookie);
            var signedIn = await Sessions.LoginAsync(client.BaseAddress!, "admin", password);
            Assert.NotNull(signedIn.AuthCookie);
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = client.BaseAddress };
            browser.DefaultRequestHeaders.Add("Cookie", signedIn.AuthCookie);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/orleans/")).StatusCode);
            await web.StopAsync();
        }
        finally
        {
            await silo.StopAsync();
        }
    }
}
