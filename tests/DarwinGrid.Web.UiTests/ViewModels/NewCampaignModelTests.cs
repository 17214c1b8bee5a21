using System.Text;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Web.Campaigns;
using DarwinGrid.Web.UiTests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DarwinGrid.Web.UiTests.ViewModels;

[Collection(SiloCollection.Name)]
public sealed class NewCampaignModelTests(SiloFixture silo)
{
    private NewCampaignModel CreateModel()
    {
        using var context = Dashboard.Create(silo);
        return context.Services.GetRequiredService<NewCampaignModel>();
    }

    [Fact]
    public async Task AnUploadWithBadRowsIsRefusedUntilTheyAreSkippedThenTheGoodRowsAreScreened()
    {
        var good = Candidates.Create(80, seed: 20);
        var model = CreateModel();
        model.Tasks.Add("matbench_is_metal");

        await model.UploadAsync("perovskites.csv", new MemoryStream(Encoding.UTF8.GetBytes(Candidates.Csv(good, ["Xx2O3", "Fe((O"]))));

        Assert.Equal("perovskites", model.Name);
        Assert.Equal("composition", model.UploadColumn);
        Assert.Equal(80, model.Uploaded.Valid.Length);
        Assert.Equal(2, model.Uploaded.BadCount);
        Assert.Contains(model.Problems(), p => p.Contains("2 row(s) are not compositions"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => model.CreateAsync());

        model.SkipBadRows = true;
        Assert.Empty(model.Problems());
        var id = await model.CreateAsync();

        var status = await silo.WaitFinishedAsync(id);
        Assert.Equal(CampaignState.Completed, status.State);
        Assert.Equal(80, status.Candidates);
        Assert.Equal(0, status.RejectedCandidates);
        Assert.Equal(160, status.Total);
        var definition = await silo.Client.GetGrain<ICampaignGrain>(id).GetDefinitionAsync();
        Assert.Equal(["matbench_expt_gap", "matbench_is_metal"], definition!.Tasks.ToArray());
    }

    [Fact]
    public async Task AnotherColumnCanBeChosenAndATextFileIsOneCompositionPerLine()
    {
        var model = CreateModel();
        await model.UploadAsync("mixed.csv", new MemoryStream(Encoding.UTF8.GetBytes("name,formula\na,Fe2O3\nb,TiO2\n")));
        Assert.Equal("formula", model.UploadColumn);
        Assert.Equal(["Fe2O3", "TiO2"], model.Uploaded.Valid.ToArray());

        model.SelectColumn("name");
        Assert.Equal(2, model.Uploaded.BadCount);

        await model.UploadAsync("list.txt", new MemoryStream(Encoding.UTF8.GetBytes("NaCl\nKBr\n")));
        Assert.Null(model.UploadColumn);
        Assert.Equal(["NaCl", "KBr"], model.Uploaded.Valid.ToArray());
    }

    [Fact]
    public async Task TheGeneratorCountsItsCandidatesLiveAndACampaignScreensExactlyThose()
    {
        var model = CreateModel();
        model.Name = "doping series";
        model.InputKind = CandidateInputKind.Generator;
        model.Generator.Template = "Ba{1-x}Sr{x}TiO3";
        model.Generator.Definitions = "x=0..0.5:0.1";

        model.UpdatePreview();

        Assert.Null(model.Preview!.Error);
        Assert.True(model.Preview.Exact);
        Assert.Equal(6, model.Preview.Count);
        Assert.Equal("BaO3Ti", model.Preview.First[0]); // canonical formulas are in Hill order
        var id = await model.CreateAsync();
        var status = await silo.WaitFinishedAsync(id);
        Assert.Equal(6, status.Candidates);
    }

    [Fact]
    public void AnInvalidGeneratorSpecIsReportedInWords()
    {
        var model = CreateModel();
        model.InputKind = CandidateInputKind.Generator;
        model.Generator.Template = "{A}{B}O3";
        model.Generator.Definitions = "A=Ca,Sr";

        model.UpdatePreview();

        Assert.NotNull(model.Preview!.Error);
        Assert.Contains("B", model.Preview.Error);
        Assert.Contains(model.Problems(), p => p.StartsWith("The generator spec is invalid"));
    }

    [Fact]
    public void AParetoRankingNeedsObjectivesOnTwoPropertiesAndFiltersNeedChosenProperties()
    {
        var model = CreateModel();
        model.Name = "x";
        model.PastedText = "Fe2O3";
        model.InputKind = CandidateInputKind.Paste;
        model.CheckPasted();
        model.RankingMode = RankingMode.Pareto;
        Assert.Contains(model.Problems(), p => p.Contains("two properties"));

        model.Tasks.Add("matbench_is_metal");
        model.Objectives.Add(new ObjectiveDraft { Task = "matbench_is_metal", Goal = ObjectiveGoal.Minimize });
        model.Filters.Add(new FilterDraft { Task = "matbench_steels", Operator = FilterOperator.AtLeast, Low = 1000 });
        Assert.Equal(["A filter is on matbench_steels, which is not among the chosen properties."], model.Problems());
    }
}
