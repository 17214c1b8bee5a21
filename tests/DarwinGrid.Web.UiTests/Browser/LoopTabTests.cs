using DarwinGrid.TestSupport;
using Microsoft.Playwright;

namespace DarwinGrid.Web.UiTests.Browser;

/// <summary>
/// A campaign's Loop tab in a real browser against "darwin serve", signed in as the admin: propose a
/// batch, see it with its predicted intervals, upload a bad measured-values CSV (rows named, nothing
/// imported), then a good one, and see measured beside predicted.
/// </summary>
[Collection(BrowserCollection.Name)]
[Trait("Category", TestCategories.Integration)]
public sealed class LoopTabTests(DarwinServeFixture serve)
{
    [Fact]
    public async Task TheLoopTabProposesABatchAndTakesMeasuredValuesIn()
    {
        await using var context = await serve.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new() { Width = 1440, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        Assertions.SetDefaultExpectTimeout(30_000);
        await serve.SignInAsync(context);

        // The campaign comes from the REST API with the signed-in cookie (and this site's Origin, as the dashboard sends it).
        var headers = new Dictionary<string, string> { ["Origin"] = serve.BaseUrl };
        var created = await context.APIRequest.PostAsync(serve.BaseUrl + "/api/campaigns", new()
        {
            Headers = headers,
            DataObject = new
            {
                name = "loop-tab", tasks = new[] { "band_gap" }, generate = "{A}{B}O3; A=alkaline-earth; B=3d",
                filters = new[] { "band_gap between 0 and 100" }, objectives = new[] { "maximize band_gap" }, start = true,
            },
        });
        Assert.Equal(201, created.Status);
        var id = (await created.JsonAsync())!.Value.GetProperty("status").GetProperty("id").GetString()!;
        var deadline = DateTime.UtcNow.AddMinutes(3);
        string? state;
        do
        {
            await Task.Delay(500);
            var status = await context.APIRequest.GetAsync($"{serve.BaseUrl}/api/campaigns/{id}");
            state = (await status.JsonAsync())!.Value.GetProperty("state").GetString();
        }
        while (state != "Completed" && DateTime.UtcNow < deadline);
        Assert.Equal("Completed", state);

        var page = await serve.OpenAsync(context, $"/campaigns/{id}");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Loop" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=loop-empty]")).ToBeVisibleAsync();
        // The default batch: 20 of the 60 candidates.
        await page.Locator("[data-testid=loop-propose]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=loop-batch-row]")).ToHaveCountAsync(20);
        await Assertions.Expect(page.Locator("[data-testid=loop-rounds] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=loop-batch]")).ToContainTextAsync("[");
        var compositions = await page.Locator("[data-testid=loop-batch-row] td.mono").AllInnerTextsAsync();

        // A bad file: its rows are named and nothing is imported.
        var bad = Path.Combine(DarwinServeFixture.ArtifactsDirectory, "loop-measured-bad.csv");
        await File.WriteAllTextAsync(bad, $"composition,task,value\n{compositions[0]},band_gap,1.1\nXx2O3,band_gap,1.0\n{compositions[1]},band_gap,high\n");
        await UploadAsync(page, bad);
        await Assertions.Expect(page.Locator("[data-testid=loop-upload-problems] li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=loop-error]")).ToContainTextAsync("line 3");
        await Assertions.Expect(page.Locator("[data-testid=loop-comparison]")).ToHaveCountAsync(0);

        var good = Path.Combine(DarwinServeFixture.ArtifactsDirectory, "loop-measured.csv");
        await File.WriteAllTextAsync(good, $"composition,task,value\n{compositions[0]},band_gap,1.1\n{compositions[1]},band_gap,2.2\n");
        await UploadAsync(page, good);
        await Assertions.Expect(page.Locator("[data-testid=loop-message]")).ToContainTextAsync("Lab dataset version 1: 2 rows");
        await Assertions.Expect(page.Locator("[data-testid=loop-comparison-row]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=loop-comparison]")).ToContainTextAsync(compositions[1]);
        await Assertions.Expect(page.Locator("[data-testid=loop-rounds] tbody tr td").Nth(4)).ToHaveTextAsync("2"); // measured of round 1
        await DarwinServeFixture.ScreenshotAsync(page, "10-campaign-loop");

        // The REST view agrees: one proposal, one dataset uploaded by the admin.
        var overview = (await (await context.APIRequest.GetAsync($"{serve.BaseUrl}/api/campaigns/{id}/loop")).JsonAsync())!.Value;
        Assert.Equal(1, overview.GetProperty("proposals").GetArrayLength());
        Assert.Equal(DarwinServeFixture.AdminUser, overview.GetProperty("datasets")[0].GetProperty("uploadedBy").GetString());
    }

    private static async Task UploadAsync(IPage page, string path)
    {
        var chooser = await page.RunAndWaitForFileChooserAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Upload measured" }).ClickAsync());
        await chooser.SetFilesAsync(path);
    }
}
