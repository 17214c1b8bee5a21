using DarwinGrid.Domain.Descriptors;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Baselines;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Evaluation.Tests.Baselines;

public class MagpieTreeModelTests
{
    private static readonly Lazy<MagpieFeaturizer> Featurizer = new(() => MagpieFeaturizer.Load(SharedData.PathOf("magpie_elementdata")));

    private static Task<TaskResult> Run(string model, string task, int fold) => Run(TestModels.Baseline(model), task, fold);

    private static async Task<TaskResult> Run(ModelSpec model, string task, int fold, string? outDir = null) =>
        (await new CrossValidation(SharedData.Root).RunAsync([TaskCatalog.Get(task)], model, [fold], outDir ?? TestModels.TemporaryFolder()))[task];

    /// <summary>A smaller ensemble than the shipped settings, for code paths whose cost is not the point of the test.</summary>
    private static ModelSpec Small(TreeEnsemble ensemble, int trees = 25, int? leaves = null) =>
        new($"small-{ensemble}", "test", _ => new MagpieTreeModel(Featurizer.Value, ensemble,
            TreeSettings.For(ensemble) with { Trees = trees, Leaves = leaves ?? TreeSettings.For(ensemble).Leaves }));

    [Fact]
    public async Task GradientBoostingOnExptGapFold0ClearlyBeatsTheDummy()
    {
        // Full fold: ~3300 training rows, a few seconds of FastTree on one thread.
        var dummy = await Run("dummy", "matbench_expt_gap", 0);
        var gbt = await Run("magpie-gbt", "matbench_expt_gap", 0);
        var dummyMae = dummy.Folds[0].Metrics[FoldScorer.Mae];
        var gbtMae = gbt.Folds[0].Metrics[FoldScorer.Mae];
        Assert.True(gbtMae < 0.6 * dummyMae, $"magpie-gbt MAE {gbtMae:F3} eV vs dummy {dummyMae:F3} eV");
        Assert.Equal(0, gbt.Failures);
    }

    [Fact]
    public async Task GradientBoostingProbabilitiesRankMetalsWellOnIsMetalFold0()
    {
        var gbt = await Run("magpie-gbt", "matbench_is_metal", 0);
        var metrics = gbt.Folds[0].Metrics;
        Assert.True(metrics[FoldScorer.RocAuc] > 0.85, $"ROC-AUC {metrics[FoldScorer.RocAuc]:F3}");
        Assert.True(metrics[FoldScorer.BalancedAccuracy] > 0.75, $"balanced accuracy {metrics[FoldScorer.BalancedAccuracy]:F3}");
    }

    [Fact]
    public async Task MultiClassOneVersusAllBeatsTheMajorityClassOnPeiPhases()
    {
        var dummy = await Run("dummy", "pei_phase", 0);
        var gbt = await Run(Small(TreeEnsemble.GradientBoosted), "pei_phase", 0);
        Assert.True(gbt.Folds[0].Metrics[FoldScorer.BalancedAccuracy] > dummy.Folds[0].Metrics[FoldScorer.BalancedAccuracy] + 0.2);
        Assert.True(gbt.Folds[0].Metrics[FoldScorer.RocAuc] > 0.75);
    }

    [Theory]
    [InlineData(TreeEnsemble.GradientBoosted, "matbench_steels")]
    [InlineData(TreeEnsemble.RandomForest, "matbench_steels")]
    public async Task TrainingIsDeterministic(TreeEnsemble ensemble, string taskName)
    {
        // Same seed and one thread: two fits give the same predictions file byte for byte.
        var task = TaskCatalog.Get(taskName);
        var first = TestModels.TemporaryFolder();
        var second = TestModels.TemporaryFolder();
        var result = await Run(Small(ensemble), taskName, 1, first);
        await Run(Small(ensemble), taskName, 1, second);
        Assert.Equal(File.ReadAllText(PredictionsFile.PathFor(first, task, 1)), File.ReadAllText(PredictionsFile.PathFor(second, task, 1)));
        Assert.Equal(0, result.Failures);
    }

    [Fact]
    public async Task TheForestGivesVoteFractionsAsProbabilitiesForBinaryTasks()
    {
        var outDir = TestModels.TemporaryFolder();
        var result = await Run(Small(TreeEnsemble.RandomForest, trees: 10, leaves: 100), "matbench_glass", 0, outDir);
        Assert.True(result.Folds[0].Metrics[FoldScorer.RocAuc] > 0.85, $"ROC-AUC {result.Folds[0].Metrics[FoldScorer.RocAuc]:F3}");
        var probabilities = File.ReadLines(PredictionsFile.PathFor(outDir, TaskCatalog.Get("matbench_glass"), 0)).Skip(1)
            .Select(line => double.Parse(line.Split(',')[^2], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        // Mean tree votes: in [0, 1], spread over many levels rather than saturated at the ends.
        Assert.All(probabilities, p => Assert.InRange(p, 0, 1));
        Assert.True(probabilities.Distinct().Count() > 15, $"{probabilities.Distinct().Count()} distinct probabilities");
        Assert.Contains(probabilities, p => p is > 0.2 and < 0.8);
    }

    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public async Task ShippedForestIsDeterministicOnExptGap()
    {
        var task = TaskCatalog.Get("matbench_expt_gap");
        var first = TestModels.TemporaryFolder();
        var second = TestModels.TemporaryFolder();
        await Run(TestModels.Baseline("magpie-rf"), task.Name, 0, first);
        await Run(TestModels.Baseline("magpie-rf"), task.Name, 0, second);
        Assert.Equal(File.ReadAllText(PredictionsFile.PathFor(first, task, 0)), File.ReadAllText(PredictionsFile.PathFor(second, task, 0)));
    }

    [Fact]
    public async Task RefusesTasksWhoseInputsAreNotCompositions()
    {
        var error = await Assert.ThrowsAsync<NotSupportedException>(() => Run("magpie-gbt", "esol_log_solubility", 0));
        Assert.Contains("Magpie descriptors need compositions", error.Message);
    }
}
