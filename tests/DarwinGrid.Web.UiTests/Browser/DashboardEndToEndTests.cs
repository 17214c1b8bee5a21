using System.Globalization;
using DarwinGrid.TestSupport;
using DarwinGrid.Web.UiTests.Support;
using Microsoft.Playwright;

namespace DarwinGrid.Web.UiTests.Browser;

/// <summary>
/// The dashboard in a real browser against "darwin serve", signed in as the admin: a campaign from an uploaded CSV, watched
/// to completion, its grid sorted, its Pareto plot opened, its CSV exported; every page photographed
/// (artifacts/screenshots); then a short training run with its loss curve and evaluation.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class DashboardEndToEndTests(DarwinServeFixture serve)
{
    private const int GoodRows = 120;
    private static readonly TimeSpan CampaignTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task ACampaignFromAnUploadedCsvRunsToCompletionAndItsResultsCanBeSortedPlottedAndExported()
    {
        await using var context = await serve.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1440, Height = 900 }, AcceptDownloads = true });
        context.SetDefaultTimeout(30_000);
        // This machine is shared and often loaded: give every expectation the same patience as actions.
        Assertions.SetDefaultExpectTimeout(30_000);
        await serve.SignInAsync(context);

        var overview = await serve.OpenAsync(context, "/");
        await Assertions.Expect(overview.Locator("[data-testid=active-campaigns]")).ToHaveTextAsync("0");
        await Assertions.Expect(overview.GetByText("Nothing running")).ToBeVisibleAsync();
        await DarwinServeFixture.ScreenshotAsync(overview, "01-overview-empty");

        // New campaign: upload a CSV with two bad rows, see them, skip them.
        var csvPath = Path.Combine(DarwinServeFixture.ArtifactsDirectory, "upload-perovskites.csv");
        await File.WriteAllTextAsync(csvPath, Candidates.Csv(Candidates.Create(GoodRows, seed: 7), ["Xx2O3", "Fe((O"]));
        var form = await serve.OpenAsync(context, "/campaigns/new");
        await UploadAsync(form, csvPath);
        await Assertions.Expect(form.Locator("[data-testid=bad-rows] tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(form.Locator("[data-testid=valid-count]")).ToContainTextAsync($"{GoodRows} valid");
        await Assertions.Expect(form.Locator("[data-testid=create]")).ToBeDisabledAsync();
        await form.Locator("[data-testid=skip-bad] input").CheckAsync();
        await form.Locator("[data-testid=tasks] label", new() { HasText = "Is metal" }).ClickAsync();
        await form.GetByText("Pareto over two properties").ClickAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Add objective" }).ClickAsync();
        await Assertions.Expect(form.Locator("[data-testid=problems]")).ToContainTextAsync($"Ready: {GoodRows} candidates × 2 properties");
        await DarwinServeFixture.ScreenshotAsync(form, "02-new-campaign");
        await form.Locator("[data-testid=create]").ClickAsync();

        // The detail page follows the campaign live until it completes.
        await form.WaitForURLAsync("**/campaigns/web-*");
        var detail = form;
        await Assertions.Expect(detail.Locator("[data-testid=campaign-title]")).ToHaveTextAsync("upload-perovskites");
        await Assertions.Expect(detail.Locator(".page-header [data-testid=state]")).ToContainTextAsync("Completed", new() { Timeout = (float)CampaignTimeout.TotalMilliseconds });
        await Assertions.Expect(detail.Locator("[data-testid=predictions]")).ToContainTextAsync($"{GoodRows * 2} / {GoodRows * 2}");
        await Assertions.Expect(detail.Locator("[data-testid=results-grid] tbody tr.mud-table-row")).ToHaveCountAsync(25);
        await DarwinServeFixture.ScreenshotAsync(detail, "03-campaign-results");

        // Sort by band gap, both ways: the server returns the order (failed answers have no value and come last).
        var header = detail.Locator("[data-testid=results-grid] th", new() { HasText = "Band gap (eV)" });
        await header.Locator(".sortable-column-header").ClickAsync();
        var ascending = await WaitForSortedAsync(detail, descending: false);
        await header.Locator(".sortable-column-header").ClickAsync();
        var descending = await WaitForSortedAsync(detail, descending: true);
        Assert.True(descending[0] >= ascending[^1], $"descending starts at {descending[0]}, ascending's first page ends at {ascending[^1]}");

        // The Pareto plot.
        await detail.GetByRole(AriaRole.Tab, new() { Name = "Charts" }).ClickAsync();
        await Assertions.Expect(detail.Locator("[data-testid=histogram]")).ToHaveCountAsync(2);
        Assert.True(await detail.Locator("[data-testid=pareto-point]").CountAsync() >= 1);
        await DarwinServeFixture.ScreenshotAsync(detail, "04-campaign-charts");

        await detail.GetByRole(AriaRole.Tab, new() { Name = "Top candidates" }).ClickAsync();
        await Assertions.Expect(detail.Locator("[data-testid=top-table] tbody tr").First).ToBeVisibleAsync();
        await DarwinServeFixture.ScreenshotAsync(detail, "05-campaign-top");

        // Export CSV: the header, then one line per screened candidate.
        var download = await detail.RunAndWaitForDownloadAsync(() => detail.Locator("[data-testid=export]").ClickAsync());
        var exportPath = Path.Combine(DarwinServeFixture.ArtifactsDirectory, "export.csv");
        await download.SaveAsAsync(exportPath);
        var lines = (await File.ReadAllLinesAsync(exportPath)).Where(l => l.Length > 0).ToList();
        Assert.Contains("composition", lines[0]);
        Assert.Contains("matbench_expt_gap", lines[0]);
        Assert.Equal(GoodRows + 1, lines.Count);

        // The other pages, with this campaign and the served model on them.
        var campaigns = await serve.OpenAsync(context, "/campaigns");
        await Assertions.Expect(campaigns.Locator("[data-testid=campaign-row] [data-testid=state]").First).ToContainTextAsync("Completed");
        await DarwinServeFixture.ScreenshotAsync(campaigns, "06-campaigns");

        var models = await serve.OpenAsync(context, "/models");
        await Assertions.Expect(models.Locator("[data-testid=default-version]")).ToContainTextAsync("darwin-mini");
        await DarwinServeFixture.ScreenshotAsync(models, "07-models");

        var cluster = await serve.OpenAsync(context, "/cluster");
        await Assertions.Expect(cluster.Locator("[data-testid=active-silos]")).ToContainTextAsync("1 active");
        await Assertions.Expect(cluster.Locator("[data-testid=model-grains]")).ToContainTextAsync("darwin-mini");
        await DarwinServeFixture.ScreenshotAsync(cluster, "08-cluster");

        // A short training run of the tiny preset: its loss curve, then its held-out evaluation.
        var training = await serve.OpenAsync(context, "/training");
        await training.Locator("[data-testid=start-training]").ClickAsync();
        await Assertions.Expect(training.Locator("[data-testid=run-row] [data-testid=run-state]").First)
            .ToContainTextAsync("Completed", new() { Timeout = (float)CampaignTimeout.TotalMilliseconds });
        await Assertions.Expect(training.Locator("[data-testid=loss-line]").First).ToBeVisibleAsync();
        await Assertions.Expect(training.Locator("[data-testid=evaluation]")).ToContainTextAsync("Band gap");
        await DarwinServeFixture.ScreenshotAsync(training, "10-training");

        var after = await serve.OpenAsync(context, "/");
        await Assertions.Expect(after.Locator("[data-testid=latest-best] tbody tr").First).ToBeVisibleAsync();
        await DarwinServeFixture.ScreenshotAsync(after, "09-overview");
    }

    /// <summary>
    /// Chooses the file as a user does: "Choose file" opens the picker, the picker gets the file (setting
    /// the hidden input's files directly is not seen by MudFileUpload 9). Should the click come before the
    /// upload's JS is ready, choose again until the check appears.
    /// </summary>
    private static async Task UploadAsync(IPage page, string path)
    {
        for (var attempt = 1; ; attempt++)
        {
            var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Choose file" }).ClickAsync());
            await chooser.SetFilesAsync(path);
            try
            {
                await page.Locator("[data-testid=candidate-check]").WaitForAsync(new() { Timeout = 5_000 });
                return;
            }
            catch (System.TimeoutException) when (attempt < 4)
            {
            }
        }
    }

    /// <summary>Waits until the grid's band-gap column is sorted the asked way, and returns its values.</summary>
    private static async Task<List<double>> WaitForSortedAsync(IPage page, bool descending)
    {
        List<double> values = [];
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var cells = await page.Locator("[data-testid=results-grid] tbody tr.mud-table-row td:nth-child(2)").AllInnerTextsAsync();
            // A cell reads "1.5 ± 0.3 eV" (or "1.5 +0.4/−0.2 eV"): the value is its first word.
            values = [.. cells.Select(c => c.Replace(" eV", "").Replace(",", "").Trim().Split(' ')[0])
                .Where(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                .Select(c => double.Parse(c, CultureInfo.InvariantCulture))];
            var expected = descending ? values.OrderDescending() : values.Order();
            if (values.Count >= 10 && values.SequenceEqual(expected))
                return values;
            await Task.Delay(200);
        }
        throw new TimeoutException($"The band-gap column never became sorted {(descending ? "descending" : "ascending")}: {string.Join(", ", values)}");
    }
}
