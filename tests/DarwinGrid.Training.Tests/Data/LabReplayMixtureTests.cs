using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Data;

/// <summary>Lab records in the multi-task stage: their prompts and answers, the replay beside them, and a validation set they never touch.</summary>
[Collection(DataCollection.Name)]
public sealed class LabReplayMixtureTests(DataFixture fixture)
{
    private static readonly LabRecord[] Measured =
    [
        new("matbench_expt_gap", "Ag2BBr", 1.51),
        new("matbench_expt_gap", "ZnO", 3.3),
        new("matbench_expt_gap", "Cu", 0),
        new("matbench_expt_gap", "GaAs", 1.42),
    ];

    private static readonly Lazy<MultiTaskMixture> Mixture = new(() => MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions
    {
        Tasks = ["matbench_expt_gap", "matbench_is_metal"],
        Fold = new FoldSelection(0),
        Seed = 7,
        // Small epochs keep tokenizing the plain mixture cheap; validation is the full 5% slice.
        ExamplesPerEpoch = 200,
    }));

    [Fact]
    public void LabRecordsAppearOncePerEpochWithTheirTasksDarwinPromptAndAnswer()
    {
        var lab = new LabReplayMixture(Mixture.Value, Measured);
        var task = TaskCatalog.Get("matbench_expt_gap");

        foreach (var epoch in new[] { 0, 1 })
        {
            var examples = lab.Epoch(epoch).Where(e => e.Kind == ExampleKind.LabRecord).ToArray();
            Assert.Equal(Measured.Length, examples.Length);
            foreach (var record in Measured)
            {
                var prompts = Enumerable.Range(0, task.Instructions.Count)
                    .Select(i => TaskPrompts.ForCandidate(DarwinAlpacaPromptFormat.Instance, task, record.Composition, i)).ToHashSet();
                var example = Assert.Single(examples, e => prompts.Contains(e.Prompt));
                Assert.Equal(task.Name, example.Task);
            }
        }
        Assert.Contains(lab.Epoch(0), e => e.Response == " 1.51\n");
        Assert.Contains(lab.Epoch(0), e => e.Response == " 0.0\n");
    }

    [Fact]
    public void AnEpochReplaysTheMixtureByTheShareAndIsAPureFunctionOfTheEpoch()
    {
        var half = new LabReplayMixture(Mixture.Value, Measured);
        var most = new LabReplayMixture(Mixture.Value, Measured, replayShare: 0.8);
        var none = new LabReplayMixture(Mixture.Value, Measured, replayShare: 0);

        Assert.Equal(4, half.Epoch(0).Count(e => e.Kind != ExampleKind.LabRecord));
        Assert.Equal(16, most.Epoch(0).Count(e => e.Kind != ExampleKind.LabRecord));
        Assert.Equal(Measured.Length, none.Epoch(0).Count);
        // The replay is the mixture's own examples (its shuffled epoch), other tasks included over the epochs.
        var mixtureEpoch = Mixture.Value.Epoch(3);
        Assert.All(most.Epoch(3).Where(e => e.Kind != ExampleKind.LabRecord), e => Assert.Contains(e, mixtureEpoch));
        Assert.Equal(most.Epoch(3), most.Epoch(3));
        Assert.NotEqual(most.Epoch(3), most.Epoch(4));
    }

    [Fact]
    public void TheStageRecordsKeepTheMixturesValidationAndTrainOnTheLabEpochs()
    {
        var tokenizer = fixture.Tokenizer;
        var window = new TrainingWindowRequest(null, 144, 512);
        var plain = new MixtureRecords(Mixture.Value, tokenizer, window);
        var withLab = new MixtureRecords(Mixture.Value, tokenizer, window, new LabReplayMixture(Mixture.Value, Measured));

        Assert.Equal(plain.Validation.Count, withLab.Validation.Count);
        Assert.All(plain.Validation.Zip(withLab.Validation), p =>
        {
            Assert.Equal(p.First.PromptTokens, p.Second.PromptTokens);
            Assert.Equal(p.First.ResponseTokens, p.Second.ResponseTokens);
        });
        Assert.Equal(8, withLab.Epoch(0).Count);
        Assert.Equal(8, withLab.Epoch(1).Count);
        var manifest = withLab.Manifest(tokenizer.Vocabulary);
        Assert.Equal(4, manifest.LabRecords);
        Assert.Equal(0.5, manifest.LabReplayShare);
        Assert.Equal(8, manifest.ExamplesPerEpoch);
    }

    [Fact]
    public void ALabRecordOfAClassificationTaskOrWithABadValueIsRefusedByName()
    {
        var metal = Assert.Throws<ArgumentException>(() => new LabReplayMixture(Mixture.Value, [new("matbench_is_metal", "Cu", 1)]));
        Assert.Contains("matbench_is_metal", metal.Message);
        var nan = Assert.Throws<ArgumentException>(() => new LabReplayMixture(Mixture.Value, [new("matbench_expt_gap", "ZnO", double.NaN)]));
        Assert.Contains("ZnO", nan.Message);
        Assert.Throws<KeyNotFoundException>(() => new LabReplayMixture(Mixture.Value, [new("no_such_task", "ZnO", 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LabReplayMixture(Mixture.Value, Measured, replayShare: 1));
    }
}
