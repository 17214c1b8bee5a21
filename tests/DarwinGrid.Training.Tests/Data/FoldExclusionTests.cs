using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;

namespace DarwinGrid.Training.Tests.Data;

/// <summary>
/// A model trained for fold k is scored on fold k's test part, so no test input may reach its
/// training or validation examples. The test folds are recomputed here the way the evaluation
/// harness does (<see cref="TaskFolds"/>: k-fold for regression, stratified for classification, 5 folds,
/// seed 18012019, matbench_is_metal following matbench_expt_gap's folds).
/// </summary>
[Collection(DataCollection.Name)]
public sealed class FoldExclusionTests(DataFixture fixture)
{
    private static (IReadOnlyList<TaskRecord> Records, Fold Fold) EvaluationFold(string taskName, int fold)
    {
        var task = TaskCatalog.Get(taskName);
        var records = TaskDatasetLoader.Load(task, SharedData.Root).Records;
        return (records, TaskFolds.Split(task, records, SharedData.Root, 5, 18012019)[fold]);
    }

    private static HashSet<string> TestInputs(string taskName, int fold)
    {
        var (records, split) = EvaluationFold(taskName, fold);
        return split.Test.Select(i => records[i].Input).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Every input text a model sees: three epochs (covering all records of down-sampled tasks) and the validation set.</summary>
    private static HashSet<string> SeenInputs(MultiTaskMixture mixture) =>
        mixture.Epochs(3).Concat(mixture.Validation())
            .Select(e => PromptText.InputOf(e.Prompt)).OfType<string>().ToHashSet(StringComparer.Ordinal);

    [Theory]
    [InlineData("matbench_expt_gap")]   // regression
    [InlineData("matbench_is_metal")]   // classification
    [InlineData("pei_phase")]           // multi-class
    public void NoTestFoldInputIsSeenInAnyTask(string task)
    {
        var test = TestInputs(task, 0);
        var seen = SeenInputs(fixture.Fold0);
        Assert.True(test.Count > 200);
        Assert.DoesNotContain(test, seen.Contains);
        // The records that did go in are exactly the fold's training part minus what is held out.
        var partition = fixture.Fold0.Partitions.Single(p => p.Task.Name == task);
        var (records, fold) = EvaluationFold(task, 0);
        var trainRows = fold.Train.Select(i => records[i].RowNumber).ToHashSet();
        Assert.All(partition.Train.Concat(partition.Validation), r => Assert.Contains(r.RowNumber, trainRows));
        Assert.Equal(fold.Test.Count, partition.TestFold);
    }

    [Fact]
    public void TestFoldMoleculesAreKeptOutInEveryNotation()
    {
        // The four chembl tasks are rows of one CSV; a test molecule in SMILES must not come back as SELFIES.
        var (records, fold) = EvaluationFold("chembl_lipophilicity", 0);
        var testRows = fold.Test.Select(i => records[i].RowNumber).ToHashSet();
        var chembl = fixture.Fold0.Partitions.Where(p => p.Task.Name.StartsWith("chembl_", StringComparison.Ordinal)).ToArray();
        Assert.Equal(4, chembl.Length);
        Assert.All(chembl, p => Assert.DoesNotContain(p.Train.Concat(p.Validation), r => testRows.Contains(r.RowNumber)));
        var selfiesTask = TaskCatalog.Get("chembl_lipophilicity_selfies");
        var selfiesTest = TaskDatasetLoader.Load(selfiesTask, SharedData.Root).Records.Where(r => testRows.Contains(r.RowNumber)).Select(r => r.Input).ToHashSet();
        Assert.DoesNotContain(selfiesTest, SeenInputs(fixture.Fold0).Contains);
    }

    [Fact]
    public void CompactPromptsOfAnotherFoldAreCleanTooAndTheGuardIsWhatKeepsSharedInputsOut()
    {
        string[] tasks = ["matbench_expt_gap", "matbench_is_metal"];
        var strict = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions
        {
            Tasks = tasks, Fold = new FoldSelection(3), Format = CompactPromptFormat.Instance,
        });
        var gapTest = TestInputs("matbench_expt_gap", 3);
        var metalTest = TestInputs("matbench_is_metal", 3);
        var seen = SeenInputs(strict);
        Assert.DoesNotContain(gapTest, seen.Contains);
        Assert.DoesNotContain(metalTest, seen.Contains);

        // The two tasks share their folds and validation compositions, so the guard has almost
        // nothing of one task to drop for the other (it dropped about a fifth with independent folds).
        foreach (var partition in strict.Partitions)
            Assert.InRange(partition.LeakExcluded, 0, partition.Loaded / 50);

        // Guarding only within a task lets the other task's held-out compositions in: its validation
        // compositions come back as band-gap training records.
        var loose = MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions
        {
            Tasks = tasks, Fold = new FoldSelection(3), Format = CompactPromptFormat.Instance, LeakGuard = LeakGuard.WithinTask,
        });
        var metalValidation = loose.Partitions.Single(p => p.Task.Name == "matbench_is_metal").Validation.Select(r => r.Input.Trim()).ToHashSet();
        var gapTrain = loose.Partitions.Single(p => p.Task.Name == "matbench_expt_gap").Train;
        Assert.True(gapTrain.Count(r => metalValidation.Contains(r.Input.Trim())) > 50);
    }

    [Fact]
    public void ValidationRecordsNeverAppearInTraining()
    {
        var mixture = fixture.Fold0;
        var validationInputs = mixture.Validation().Select(e => PromptText.InputOf(e.Prompt)).OfType<string>().ToHashSet();
        var trainInputs = mixture.Epochs(3).Where(e => e.Kind != ExampleKind.NounDistractor)
            .Select(e => PromptText.InputOf(e.Prompt)).OfType<string>().ToHashSet();
        Assert.True(validationInputs.Count > 500);
        Assert.DoesNotContain(validationInputs, trainInputs.Contains);
    }

    [Fact]
    public void AFoldOutsideTheRangeIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => MultiTaskMixture.Load(SharedData.Root, new MultiTaskOptions { Fold = new FoldSelection(5) }));
        Assert.Contains("0..4", error.Message);
    }
}
