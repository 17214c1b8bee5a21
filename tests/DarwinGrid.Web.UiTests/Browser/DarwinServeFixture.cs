using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DarwinGrid.TestSupport;
using DarwinGrid.Web.UiTests.Support;
using Microsoft.Playwright;

namespace DarwinGrid.Web.UiTests.Browser;

/// <summary>
/// The real product for the browser tests: <c>darwin serve --urls</c> from the Silo project's build
/// output, in its own process, on free ports with a fresh home whose model store holds a tiny random
/// model as darwin-mini (registered as the default at start), and a headless Debian chromium.
/// </summary>
public sealed class DarwinServeFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromSeconds(120);

    private readonly string _home = Directory.CreateTempSubdirectory("webui-serve-").FullName;
    private Process? _serve;
    private IPlaywright? _playwright;

    public const string AdminUser = "admin";

    /// <summary>The admin's password, given to the server through its configuration (a throw-away server).</summary>
    public const string AdminPassword = "e2e-admin-password";

    public string BaseUrl { get; private set; } = "";

    public const string ChromiumPath = "/usr/bin/chromium";

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>Where screenshots and the server log go: artifacts/ under the repository root (gitignored).</summary>
    public static string ArtifactsDirectory { get; } = Path.Combine(RepositoryRoot(), "artifacts");

    public string LogPath => Path.Combine(ArtifactsDirectory, "darwin-serve.log");

    public async Task InitializeAsync()
    {
        // The real browser runs here (CI installs it): a missing one fails the test, it is never skipped.
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"Browser test: {ChromiumPath} is not installed (apt-get install -y chromium; .ci/run installs it).");
        Directory.CreateDirectory(Path.Combine(ArtifactsDirectory, "screenshots"));
        TinyModelFile.Write(Path.Combine(_home, "models", "darwin-mini.gguf"));
        BaseUrl = $"http://127.0.0.1:{FreePort()}";
        _serve = StartServe();
        await WaitUntilServingAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    private Process StartServe()
    {
        var darwin = DarwinDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(darwin)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { darwin, "serve", "--urls", BaseUrl, "--home", _home, "--data-dir", SharedData.Root })
            start.ArgumentList.Add(argument);
        // Free ports so a developer's own "darwin serve" (11111/30000) is never joined; a tiny, quick engine.
        start.Environment["DarwinGrid__SiloPort"] = FreePort().ToString();
        start.Environment["DarwinGrid__GatewayPort"] = FreePort().ToString();
        start.Environment["DarwinGrid__SiloName"] = "webui-e2e";
        start.Environment["DarwinGrid__Web__AdminUser"] = AdminUser;
        start.Environment["DarwinGrid__Web__AdminPassword"] = AdminPassword;
        start.Environment["DarwinGrid__Engine__Threads"] = "1";
        start.Environment["DarwinGrid__Engine__SeqMax"] = "16";
        start.Environment["DarwinGrid__Engine__MaxAnswerTokens"] = "6";
        start.Environment["DarwinGrid__Screening__BatchSize"] = "25";
        start.Environment["DarwinGrid__Screening__ProgressInterval"] = "00:00:00.2";
        start.Environment["DarwinGrid__Screening__CampaignCheckInterval"] = "00:00:00.5";
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var log = new StreamWriter(LogPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitUntilServingAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartupTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_serve!.HasExited)
                throw new InvalidOperationException($"darwin serve exited with code {_serve.ExitCode}; see {LogPath}.");
            try
            {
                if ((await http.GetAsync(BaseUrl + "/models")).IsSuccessStatusCode)
                    return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"darwin serve did not answer at {BaseUrl} within {StartupTimeout.TotalSeconds:F0} s; see {LogPath}.");
    }

    /// <summary>Signs the browser context in as the admin through the login page (the cookie then serves every page).</summary>
    public async Task SignInAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/");
        await page.WaitForURLAsync("**/login**");
        await page.Locator("#user").FillAsync(AdminUser);
        await page.Locator("#password").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.Locator("[data-testid=user-name]").WaitForAsync(new() { Timeout = 30_000 });
        await page.CloseAsync();
    }

    /// <summary>A page at <paramref name="path"/>, once the Blazor circuit is live (clicks before that are lost).</summary>
    public async Task<IPage> OpenAsync(IBrowserContext context, string path)
    {
        var page = await context.NewPageAsync();
        // The browser's console goes next to the server log: Blazor reports circuit errors there.
        page.Console += (_, message) => File.AppendAllText(Path.Combine(ArtifactsDirectory, "browser-console.log"), $"{path} {message.Type}: {message.Text}\n");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
                File.AppendAllText(Path.Combine(ArtifactsDirectory, "browser-console.log"), $"{path} HTTP {response.Status}: {response.Url}\n");
        };
        await page.GotoAsync(BaseUrl + path);
        await page.Locator("[data-testid=interactive]").Filter(new() { HasText = "live" }).WaitForAsync(new() { Timeout = 30_000 });
        return page;
    }

    /// <summary>
    /// The whole page: the viewport grows to the content's height first, because a full-page capture
    /// of a scrolled layout paints the fixed app bar and drawer in the middle of it.
    /// </summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        var size = page.ViewportSize!;
        var height = await page.EvaluateAsync<int>("() => document.documentElement.scrollHeight");
        await page.SetViewportSizeAsync(size.Width, Math.Max(size.Height, height));
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ArtifactsDirectory, "screenshots", name + ".png"),
            Animations = ScreenshotAnimations.Disabled,
        });
        await page.SetViewportSizeAsync(size.Width, size.Height);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
            await _serve.WaitForExitAsync();
        }
        _serve?.Dispose();
        try
        {
            Directory.Delete(_home, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string DarwinDll()
    {
        // tests/DarwinGrid.Web.UiTests/bin/{Configuration}/net10.0 -> src/Silo/bin/{Configuration}/net10.0/darwin.dll
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = output.Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "src", "Silo", "bin", configuration, output.Name, "darwin.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"darwin.dll is not built at {path}.", path);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "DarwinGrid.sln")))
                return directory.FullName;
        }
        throw new DirectoryNotFoundException($"No DarwinGrid.sln above {AppContext.BaseDirectory}.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<DarwinServeFixture>
{
    public const string Name = "browser";
}
