using System.Text.Json;
using DarwinGrid.Domain.Metrics;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Evaluation.Tests.Harness;

public class ResumeAndFailureTests
{
    private static readonly PropertyTask Steels = TaskCatalog.Get("matbench_steels");

    private static ModelSpec Oracle(Counter fits) => new("oracle-with-failures", "test model", _ => new OracleWithFailures(fits));

    [Fact]
    public async Task ASecondRunReusesCompleteFoldFilesAndRecomputesOnlyADamagedOne()
    {
        var outDir = TestModels.TemporaryFolder();
        var fits = new Counter();
        var harness = new CrossValidation(SharedData.Root);
        var first = await harness.RunAsync([Steels], Oracle(fits), null, outDir);
        Assert.Equal(5, fits.Value);
        Assert.All(first["matbench_steels"].Folds, f => Assert.False(f.Resumed));

        var second = await harness.RunAsync([Steels], Oracle(fits), null, outDir);
        Assert.Equal(5, fits.Value); // nothing refitted
        Assert.All(second["matbench_steels"].Folds, f => Assert.True(f.Resumed));
        Assert.Equal(first["matbench_steels"].Summary[FoldScorer.Mae]!.Mean, second["matbench_steels"].Summary[FoldScorer.Mae]!.Mean, 12);
        Assert.Equal(first["matbench_steels"].Failures, second["matbench_steels"].Failures);

        // A truncated file (an interrupted copy, say) is not trusted: that fold alone runs again.
        var damaged = PredictionsFile.PathFor(outDir, Steels, 3);
        File.WriteAllLines(damaged, File.ReadLines(damaged).SkipLast(1).ToArray());
        var third = await harness.RunAsync([Steels], Oracle(fits), null, outDir);
        Assert.Equal(6, fits.Value);
        Assert.Equal([true, true, true, false, true], third["matbench_steels"].Folds.Select(f => f.Resumed));
    }

    [Fact]
    public async Task FailedPredictionsAreCountedAndScoredAsTheDummyWould()
    {
        var outDir = TestModels.TemporaryFolder();
        var records = TestModels.Records(Steels);
        var report = await new CrossValidation(SharedData.Root).RunAsync([Steels], Oracle(new Counter()), [0], outDir);

        var fold = CrossValidationSplits.For(Steels, records, SharedData.Root)[0];
        var mean = fold.Train.Average(i => records[i].Target.AsNumber());
        var test = fold.Test.Select(i => records[i]).ToArray();
        // The oracle is exact except on every third record, where the training mean stands in.
        var predicted = test.Select((r, i) => i % 3 == 0 ? mean : r.Target.AsNumber()).ToArray();
        var scored = report["matbench_steels"].Folds[0];
        Assert.Equal((test.Length + 2) / 3, scored.Failures);
        Assert.Equal(RegressionMetrics.MeanAbsoluteError(test.Select(r => r.Target.AsNumber()).ToArray(), predicted), scored.Metrics[FoldScorer.Mae], 9);

        var lines = File.ReadAllLines(PredictionsFile.PathFor(outDir, Steels, 0));
        Assert.Equal("row,input,actual,predicted,low,high,failure", lines[0]);
        Assert.Equal(test.Length + 1, lines.Length);
        Assert.EndsWith($"no answer for {test[0].Input}", lines[1]);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, CrossValidation.MetricsFileName)));
        var task = json.RootElement.GetProperty("tasks")[0];
        Assert.Equal(scored.Failures, task.GetProperty("failures").GetInt32());
        Assert.Equal(scored.Metrics[FoldScorer.Mae], task.GetProperty("summary").GetProperty("mae").GetProperty("mean").GetDouble(), 12);
        Assert.Contains("| matbench_steels | **mae** |", File.ReadAllText(Path.Combine(outDir, CrossValidation.MarkdownFileName)));
    }

    [Fact]
    public async Task ClassificationFailuresFallBackToTheClassPriors()
    {
        var task = TaskCatalog.Get("matbench_glass");
        var records = TestModels.Records(task);
        var report = await new CrossValidation(SharedData.Root).RunAsync([task], Oracle(new Counter()), [2], TestModels.TemporaryFolder());

        var fold = CrossValidationSplits.For(task, records, SharedData.Root)[2];
        var trainPositive = fold.Train.Count(i => records[i].Target.AsClassIndex() == 1) / (double)fold.Train.Count;
        var test = fold.Test.Select(i => records[i]).ToArray();
        var actual = test.Select(r => r.Target.AsClassIndex() == 1).ToArray();
        var scores = test.Select((r, i) => i % 3 == 0 ? trainPositive : r.Target.AsClassIndex()).Select(Convert.ToDouble).ToArray();
        var result = report["matbench_glass"].Folds[0];
        Assert.Equal(ClassificationMetrics.RocAuc(actual, scores), result.Metrics[FoldScorer.RocAuc], 12);
        Assert.Equal((test.Length + 2) / 3, result.Failures);
    }
}
