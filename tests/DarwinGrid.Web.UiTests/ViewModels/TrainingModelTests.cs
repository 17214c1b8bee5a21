using Bunit;
using DarwinGrid.Grains.Training;
using DarwinGrid.Web.Components.Pages;
using DarwinGrid.Web.Training;
using DarwinGrid.Web.UiTests.Support;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Web.UiTests.ViewModels;

[Collection(SiloCollection.Name)]
[Trait("Category", DarwinGrid.TestSupport.TestCategories.Integration)]
public sealed class TrainingModelTests(SiloFixture silo)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AShortRunReportsItsLossCurveAndTheRegisteredVersionsHeldOutMetrics()
    {
        var model = new TrainingModel(silo.Client);
        var draft = new TrainingDraft { MaxSteps = 8, EvaluationLimit = 12, Name = "web-test" };
        draft.Tasks.Add("band_gap");

        var id = await model.StartAsync(draft);

        Assert.Equal(id, model.SelectedId);
        var finished = await Eventually.ReachAsync(async () => { await model.RefreshAsync(); return model.Selected!; }, s => s.IsFinished, RunTimeout, $"run {id}");
        Assert.True(finished.State == TrainingRunState.Completed, $"{finished.State}: {finished.Error}");
        Assert.InRange(finished.Step, 1, 8); // the tiny preset may run out of data before the step limit
        Assert.NotEmpty(model.LossCurve);
        Assert.All(model.LossCurve, p => Assert.True(double.IsFinite(p.Loss)));
        Assert.Equal($"web-test:{id}", finished.VersionId);
        Assert.NotNull(model.SelectedVersion);
        Assert.Contains("matbench_expt_gap", model.SelectedVersion.Metrics!.Keys);
        Assert.Contains("mae", model.SelectedVersion.Metrics["matbench_expt_gap"].Keys);

        // The page shows the same run: its state, its loss line, its evaluation.
        await using var context = Dashboard.Create(silo);
        context.Render<MudBlazor.MudPopoverProvider>();
        var page = context.Render<TrainingPage>();
        page.WaitForAssertion(() => Assert.Contains("Completed", page.Find($"[data-run='{id}'] [data-testid=run-state]").TextContent), TimeSpan.FromSeconds(30));
        await page.InvokeAsync(() => page.Find($"[data-run='{id}']").Click());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=loss-line]")), TimeSpan.FromSeconds(30));
        Assert.Contains("Band gap", page.Find("[data-testid=evaluation]").TextContent);
        Assert.Contains("eV", page.Find("[data-testid=evaluation]").TextContent);
    }

    [Fact]
    public void TheFormRefusesLoraWithoutABaseAndARunWithoutStages()
    {
        var draft = new TrainingDraft { Mode = TrainingMode.Lora };
        Assert.Contains(draft.Problems(), p => p.Contains("LoRA"));
        draft.Mode = TrainingMode.Full;
        draft.Stages.Clear();
        Assert.Equal(["Choose at least one stage."], draft.Problems());
        draft.Stages.Add("multitask");
        draft.Stages.Add("qa");
        Assert.Equal(["qa", "multitask"], draft.ToSpec().Stages.ToArray());
    }
}
