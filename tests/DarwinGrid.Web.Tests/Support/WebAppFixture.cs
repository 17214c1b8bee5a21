using System.Net;
using System.Net.Http.Json;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;
using DarwinGrid.Web.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DarwinGrid.Web.Tests.Support;

/// <summary>
/// 'darwin serve --urls' in the test process: a real silo on free ports with SQLite in a temp home,
/// the web app on port 0, a random 32x2 model as darwin-mini (the default version), and users and API
/// keys of every role from configuration.
/// </summary>
public class WebAppFixture : IAsyncLifetime
{
    public const string AdminPassword = "admin-secret-1";
    public const string ViewerName = "vera";
    public const string ViewerPassword = "viewer-secret-1";
    public const string OperatorName = "otto";
    public const string OperatorPassword = "operator-secret-1";
    public const string ViewerKey = "viewer-key-0123456789abcdef";
    public const string OperatorKey = "operator-key-0123456789abcdef";

    private readonly StringWriter _console = new();

    public string Home { get; } = Directory.CreateTempSubdirectory("web-tests-").FullName;

    public WebApplication App { get; private set; } = default!;

    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>What the app printed through <see cref="FirstRunNotice"/>.</summary>
    public string Console => _console.ToString();

    public async Task InitializeAsync()
    {
        var models = Directory.CreateDirectory(Path.Combine(Home, "models")).FullName;
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        RandomLlamaModel.Write(Path.Combine(models, "darwin-mini.gguf"),
            new LlamaHyperparameters(vocabulary.Count, EmbeddingLength: 32, BlockCount: 2, HeadCount: 4, HeadCountKv: 2, FeedForwardLength: 64),
            vocabulary, seed: 5, std: 0.2f);

        var overrides = new Dictionary<string, string?>
        {
            ["DarwinGrid:Home"] = Home,
            ["DarwinGrid:DataDir"] = SharedData.Root,
            ["DarwinGrid:Urls"] = "http://127.0.0.1:0",
            ["DarwinGrid:SiloName"] = "web-tests",
            ["DarwinGrid:Engine:SeqMax"] = "16",
            ["DarwinGrid:Engine:Threads"] = "1",
            ["DarwinGrid:Engine:MaxAnswerTokens"] = "6",
            ["DarwinGrid:Screening:BatchSize"] = "50",
            ["DarwinGrid:Screening:ProgressInterval"] = "00:00:00.1",
            ["DarwinGrid:Screening:CampaignCheckInterval"] = "00:00:00.3",
            ["DarwinGrid:Screening:KeeperInterval"] = "00:00:00.3",
            ["DarwinGrid:Web:AdminPassword"] = AdminPassword,
            ["DarwinGrid:Web:Users:0:Name"] = ViewerName,
            ["DarwinGrid:Web:Users:0:Role"] = "viewer",
            ["DarwinGrid:Web:Users:0:PasswordHash"] = PasswordHashing.Hash(ViewerPassword),
            ["DarwinGrid:Web:Users:1:Name"] = OperatorName,
            ["DarwinGrid:Web:Users:1:Role"] = "operator",
            ["DarwinGrid:Web:Users:1:PasswordHash"] = PasswordHashing.Hash(OperatorPassword),
            ["DarwinGrid:Web:ApiKeys:0:Name"] = "reader",
            ["DarwinGrid:Web:ApiKeys:0:Role"] = "viewer",
            ["DarwinGrid:Web:ApiKeys:0:KeyHash"] = ApiKeyStore.HashHex(ViewerKey),
            ["DarwinGrid:Web:ApiKeys:1:Name"] = "robot",
            ["DarwinGrid:Web:ApiKeys:1:Role"] = "operator",
            ["DarwinGrid:Web:ApiKeys:1:Key"] = OperatorKey,
            // Every test signs in from 127.0.0.1; the throttle itself is tested on its own (LoginThrottleTests).
            ["DarwinGrid:Web:LoginFailureLimit"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:DarwinGrid"] = "Warning",
        };
        foreach (var (key, value) in Settings())
            overrides[key] = value;
        NativeLog.ErrorsOnly();
        var host = DarwinHost.CreateSilo(overrides, (DarwinHost.FreePort(), DarwinHost.FreePort()),
            [(builder, _) => builder.Services.AddSingleton(new FirstRunNotice(_console))]);
        App = (WebApplication)host;
        await App.StartAsync();
        BaseAddress = new Uri(App.Urls.Single());

        using var client = Client(OperatorKey);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var listed = await client.GetFromJsonAsync<DarwinGrid.Web.Api.ModelsResponse>("/api/models", Json.Options);
            if (listed!.Defaults.ContainsKey("*"))
                break;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("darwin-mini did not become the default model.");
            await Task.Delay(100);
        }
    }

    /// <summary>Settings over the ones above (a fixture for another configuration overrides this).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    /// <summary>This site's origin as a browser writes it in the Origin header.</summary>
    public string Origin => BaseAddress.GetLeftPart(UriPartial.Authority);

    /// <summary>
    /// A client that follows no redirects and keeps no cookies (tests see every answer as sent). With a
    /// cookie it also sends this site's Origin, as a browser on the dashboard does.
    /// </summary>
    public HttpClient Client(string? apiKey = null, string? cookie = null)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, apiKey);
        if (cookie is not null)
        {
            client.DefaultRequestHeaders.Add("Cookie", cookie);
            client.DefaultRequestHeaders.Add("Origin", Origin);
        }
        return client;
    }

    public async Task DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(timeout.Token);
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Home, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class WebAppCollection : ICollectionFixture<WebAppFixture>
{
    public const string Name = "web app";
}
