using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

[Collection(DataCollection.Name)]
public sealed class DeterminismTests(DataFixture fixture)
{
    private static readonly string[] Tasks = ["matbench_steels", "chembl_lipophilicity", "pei_phase", "water_stability", "opv_pce", "sii_mdp_pce"];

    private static MultiTaskMixture Load(long seed) =>
        MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = Tasks, Seed = seed, Fold = new FoldSelection(2) });

    [Fact]
    public void TheSameSeedGivesTheSameExamplesAndTokens()
    {
        var a = Load(7);
        var b = Load(7);
        var tokenizer = new ExampleTokenizer(fixture.Tokenizer);
        Assert.Equal(a.Epoch(0), b.Epoch(0));
        Assert.Equal(a.Epoch(4), b.Epoch(4));
        Assert.Equal(a.Validation(), b.Validation());

        var tokensA = tokenizer.TokenizeAll(a.Epoch(0)).Examples;
        var tokensB = tokenizer.TokenizeAll(b.Epoch(0)).Examples;
        Assert.Equal(tokensA.Count, tokensB.Count);
        for (var i = 0; i < tokensA.Count; i++)
        {
            Assert.Equal(tokensA[i].Task, tokensB[i].Task);
            Assert.Equal(tokensA[i].PromptTokens, tokensB[i].PromptTokens);
            Assert.Equal(tokensA[i].ResponseTokens, tokensB[i].ResponseTokens);
        }
    }

    [Fact]
    public void AnotherSeedOrEpochChangesTheOrderButNotTheComposition()
    {
        var a = Load(7).Epoch(0);
        var other = Load(8).Epoch(0);
        var next = Load(7).Epoch(1);
        Assert.NotEqual(a.Select(e => e.Prompt), other.Select(e => e.Prompt));
        Assert.NotEqual(a.Select(e => e.Prompt), next.Select(e => e.Prompt));
        Assert.Equal(a.GroupBy(e => e.Task).ToDictionary(g => g.Key, g => g.Count()), next.GroupBy(e => e.Task).ToDictionary(g => g.Key, g => g.Count()));
    }

    [Fact]
    public void InstructionsVaryOverTheTasksParaphrasesAndDarwinRecordsKeepTheirOwn()
    {
        var epoch = Load(7).Epoch(0);
        var pei = epoch.Where(e => e.Task == "pei_phase" && e.Kind == ExampleKind.Record).Select(e => PromptText.InstructionOfDarwinPrompt(e.Prompt)).ToArray();
        Assert.Equal(DarwinGrid.Domain.Tasks.TaskCatalog.Get("pei_phase").Instructions.Order(), pei.Distinct().Order());

        var darwinRecords = DarwinGrid.Domain.Datasets.TaskDatasetLoader.Load(DarwinGrid.Domain.Tasks.TaskCatalog.Get("opv_pce"), SharedData.Root).Records
            .ToDictionary(r => r.RowNumber, r => r.Darwin!);
        Assert.All(epoch.Where(e => e.Task == "opv_pce"), e =>
        {
            var darwin = darwinRecords[e.SourceRow!.Value];
            Assert.Equal(darwin.Instruction, PromptText.InstructionOfDarwinPrompt(e.Prompt));
            Assert.Equal(darwin.Output, e.Response);
        });
    }
}
