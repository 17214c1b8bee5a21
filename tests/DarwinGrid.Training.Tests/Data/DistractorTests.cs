using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

[Collection(DataCollection.Name)]
public sealed class DistractorTests(DataFixture fixture)
{
    [Fact]
    public void TasksWithDistractorsGetThemAtTheConfiguredRateAndOthersGetNone()
    {
        var mixture = fixture.Fold0;
        var epoch = mixture.Epoch(0);
        foreach (var task in mixture.Partitions.Select(p => p.Task))
        {
            var examples = epoch.Where(e => e.Task == task.Name).ToArray();
            var distractors = examples.Count(e => e.Kind is ExampleKind.NounDistractor or ExampleKind.UnconditionedDistractor);
            if (task.Distractors is null)
                Assert.Equal(0, distractors);
            else
                Assert.True(Math.Abs(distractors - mixture.Options.DistractorRate * examples.Length) <= 0.5,
                    $"{task.Name}: {distractors} distractors among {examples.Length} examples");
        }
        Assert.Contains(epoch, e => e.Kind == ExampleKind.NounDistractor);
        Assert.Contains(epoch, e => e.Kind == ExampleKind.UnconditionedDistractor);
    }

    [Fact]
    public void DistractorsAreAnsweredWithDarwinsRefusals()
    {
        var mixture = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions
        {
            Tasks = ["matbench_is_metal", "matbench_steels", "water_stability", "esol_log_solubility", "chembl_lipophilicity_inchi"],
            DistractorRate = 0.25,
        });
        var epoch = mixture.Epoch(0);
        var distractors = epoch.Where(e => e.Kind != ExampleKind.Record).ToArray();
        Assert.True(Math.Abs(distractors.Length - 0.25 * epoch.Count) <= mixture.Partitions.Count);

        foreach (var example in distractors)
        {
            var task = TaskCatalog.Get(example.Task);
            var input = PromptText.InputOf(example.Prompt)!;
            Assert.Equal(AnswerParseFailure.Refusal, task.Answer.Parse(example.Response).Failure);
            if (example.Kind == ExampleKind.NounDistractor)
            {
                Assert.Contains(input, mixture.DistractorNouns);
                Assert.Contains(PromptText.InstructionOfDarwinPrompt(example.Prompt), task.Instructions);
                Assert.Contains(task.Distractors!.RefusalAnswers, a => a.Replace("{input}", input) == example.Response);
            }
            else
            {
                Assert.Contains(PromptText.InstructionOfDarwinPrompt(example.Prompt), task.Distractors!.UnconditionedInstructions);
                Assert.Contains(example.Response, task.Distractors.RefusalAnswers);
                var partition = mixture.Partitions.Single(p => p.Task == task);
                Assert.Contains(partition.Train, r => r.RowNumber == example.SourceRow && r.Input == input);
            }
        }
        Assert.Equal(["esol_log_solubility", "matbench_steels", "water_stability"],
            distractors.Where(e => e.Kind == ExampleKind.UnconditionedDistractor).Select(e => e.Task).Distinct().Order());
    }

    [Fact]
    public void RateZeroMeansNoDistractors()
    {
        var mixture = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Tasks = ["matbench_is_metal", "pei_phase"], DistractorRate = 0 });
        Assert.All(mixture.Epoch(0), e => Assert.Equal(ExampleKind.Record, e.Kind));
        Assert.Empty(mixture.DistractorNouns);
    }

    [Fact]
    public void NounsAreDarwinsDistractorInputsAndNeverTaskInputs()
    {
        var nouns = fixture.Fold0.DistractorNouns;
        Assert.Contains("price", nouns);
        Assert.Contains("kohlrabi", nouns);
        Assert.True(nouns.Count > 300, $"only {nouns.Count} nouns");
        var inputs = fixture.Fold0.Partitions.SelectMany(p => p.Train).Select(r => r.Input).ToHashSet();
        Assert.DoesNotContain(nouns, inputs.Contains);
    }
}
