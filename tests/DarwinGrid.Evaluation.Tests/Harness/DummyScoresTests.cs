using DarwinGrid.Domain.Metrics;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Harness;

namespace DarwinGrid.Evaluation.Tests.Harness;

public class DummyScoresTests
{
    [Fact]
    public async Task DummyOnSteelsEqualsTheTrainingMeanScoredByHandOnEveryFold()
    {
        var task = TaskCatalog.Get("matbench_steels");
        var records = TestModels.Records(task);
        var report = await new CrossValidation(DarwinGrid.TestSupport.SharedData.Root)
            .RunAsync([task], TestModels.Baseline("dummy"), null, TestModels.TemporaryFolder());

        var result = report["matbench_steels"];
        Assert.Equal(5, result.Folds.Count);
        var maes = new List<double>();
        foreach (var fold in CrossValidationSplits.For(task, records, DarwinGrid.TestSupport.SharedData.Root))
        {
            var mean = fold.Train.Average(i => records[i].Target.AsNumber());
            var actual = fold.Test.Select(i => records[i].Target.AsNumber()).ToArray();
            var predicted = actual.Select(_ => mean).ToArray();
            var scored = result.Folds[fold.Index];
            Assert.Equal(fold.Test.Count, scored.TestCount);
            Assert.Equal(fold.Train.Count, scored.TrainCount);
            Assert.Equal(RegressionMetrics.MeanAbsoluteError(actual, predicted), scored.Metrics[FoldScorer.Mae], 9);
            Assert.Equal(RegressionMetrics.RootMeanSquaredError(actual, predicted), scored.Metrics[FoldScorer.Rmse], 9);
            Assert.Equal(RegressionMetrics.MaxError(actual, predicted), scored.Metrics[FoldScorer.MaxError], 9);
            Assert.Equal(RegressionMetrics.MeanAbsolutePercentageError(actual, predicted), scored.Metrics[FoldScorer.Mape], 9);
            Assert.Equal(0, scored.Failures);
            maes.Add(actual.Average(a => Math.Abs(a - mean)));
        }
        var summary = result.Summary[FoldScorer.Mae]!;
        Assert.Equal(maes.Average(), summary.Mean, 9);
        Assert.Equal(Math.Sqrt(maes.Average(m => (m - maes.Average()) * (m - maes.Average()))), summary.Std, 9); // population std
        Assert.Equal(maes.Min(), summary.Min, 9);
        Assert.Equal(maes.Max(), summary.Max, 9);
    }

    [Fact]
    public async Task DummyOnIsMetalPredictsTheMajorityClassWithPriorScores()
    {
        var task = TaskCatalog.Get("matbench_is_metal");
        var records = TestModels.Records(task);
        var report = await new CrossValidation(DarwinGrid.TestSupport.SharedData.Root)
            .RunAsync([task], TestModels.Baseline("dummy"), [0], TestModels.TemporaryFolder());

        var fold = CrossValidationSplits.For(task, records, DarwinGrid.TestSupport.SharedData.Root)[0];
        var trainLabels = fold.Train.Select(i => records[i].Target.AsClassIndex()).ToArray();
        var majority = trainLabels.Count(l => l == 1) > trainLabels.Count(l => l == 0) ? 1 : 0;
        var actual = fold.Test.Select(i => records[i].Target.AsClassIndex()).ToArray();
        var metrics = report["matbench_is_metal"].Folds[0].Metrics;
        Assert.Equal(ClassificationMetrics.Accuracy(actual, actual.Select(_ => majority).ToArray()), metrics[FoldScorer.Accuracy], 12);
        Assert.Equal(0.5, metrics[FoldScorer.BalancedAccuracy], 12);
        Assert.Equal(0.5, metrics[FoldScorer.RocAuc], 12); // constant scores: every positive-negative pair ties
    }

    [Fact]
    public async Task ExptGapMAPEIsReportedUndefinedBecauseOfZeroGaps()
    {
        var report = await new CrossValidation(DarwinGrid.TestSupport.SharedData.Root)
            .RunAsync([TaskCatalog.Get("matbench_expt_gap")], TestModels.Baseline("dummy"), [1], TestModels.TemporaryFolder());
        var fold = report["matbench_expt_gap"].Folds[0];
        Assert.True(double.IsNaN(fold.Metrics[FoldScorer.Mape]));
        Assert.Contains(fold.Notes, n => n.StartsWith("MAPE undefined:", StringComparison.Ordinal));
        Assert.Null(report["matbench_expt_gap"].Summary[FoldScorer.Mape]);
        Assert.True(double.IsFinite(fold.Metrics[FoldScorer.Mae]));
    }
}
