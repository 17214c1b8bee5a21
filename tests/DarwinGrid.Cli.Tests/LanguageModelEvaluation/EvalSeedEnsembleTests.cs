using System.Text.Json.Nodes;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Silo.Cli;
using DarwinGrid.Silo.LanguageModelEvaluation;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// <c>darwin eval --model llm:... --seeds 1,2</c>: one model per fold and seed (a member trained beforehand
/// by <c>darwin train</c> is reused), answering as the mean of its members, whose own evaluations
/// (<c>--seed s</c> into the same folder) reuse the same models; the tiny preset, a few steps, one fold.
/// </summary>
public sealed class EvalSeedEnsembleTests : IDisposable
{
    // The two smallest data sets of their kinds (281 and 169 rows): every run reads, splits and predicts them several times.
    private static readonly string[] Tasks = ["matbench_steels", "water_stability"];

    private readonly string _dir = Directory.CreateTempSubdirectory("cli-eval-seeds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TwoSeedsTrainTwoMembersAndTheEnsemblePredictsTheirMean()
    {
        string[] Eval(params string[] seeds) =>
        [
            "eval", "--model", "llm:tiny", "--tasks", string.Join(",", Tasks), "--folds", "0", "--train-steps", "3",
            "--threads", "1", "--out", _dir, "--data-dir", SharedData.Root, .. seeds,
        ];
        var seed2 = FoldTraining.TrainDirectory(_dir, FoldTraining.MultiTaskScope, 0, seed: 2);

        // The member of seed 2 trained beforehand, as the lead's parallel runs do (the evaluation's training has no time limit).
        var (trained, trainOutput, trainError) = await CliRunner.Run(
            "train", "--preset", "tiny", "--tasks", string.Join(",", Tasks), "--fold", "0", "--max-steps", "3", "--max-minutes", "43200", "--seed", "2",
            "--threads", "1", "--out", seed2, "--data-dir", SharedData.Root);
        Assert.True(trained == 0, trainError + trainOutput);
        var (code, output, error) = await CliRunner.Run(Eval("--seeds", "1,2"));
        Assert.True(code == 0, error + output);
        Assert.Contains("Evaluating darwin-tiny x2 (", output);
        Assert.Contains("all fold 0 model: training in", output);
        Assert.Contains("all fold 0 model (seed 2): reusing", output);
        Assert.DoesNotContain("(seed 2): training in", output);
        Assert.StartsWith("# darwin-tiny x2", File.ReadAllText(Path.Combine(_dir, CrossValidation.MarkdownFileName)));
        foreach (var seed in new[] { 1, 2 })
            Assert.True(File.Exists(TrainingRun.ModelPath(FoldTraining.TrainDirectory(_dir, FoldTraining.MultiTaskScope, 0, seed), "darwin-tiny")));

        // Each member alone, into the same folder: its own predictions files, the same models.
        var (first, firstOutput, firstError) = await CliRunner.Run(Eval("--seed", "1"));
        Assert.True(first == 0, firstError + firstOutput);
        Assert.DoesNotContain("training in", firstOutput);

        // A member trained with a time limit (darwin train's default) that it came near is another training:
        // the schedule followed the clock.
        var manifestPath = TrainingRun.ManifestPath(seed2, "darwin-tiny");
        var manifest = File.ReadAllText(manifestPath);
        var limited = JsonNode.Parse(manifest)!;
        limited["trainer"]!["maxDuration"] = "00:17:00";
        limited["outcome"]!["elapsedSeconds"] = 600.0;
        File.WriteAllText(manifestPath, limited.ToJsonString());
        var (refused, _, refusedError) = await CliRunner.Run(Eval("--seed", "2"));
        Assert.Equal(EvalCommand.ExitFailed, refused);
        Assert.Contains("trained differently", refusedError);
        Assert.Contains("time limit: 00:17:00 there, 30.00:00:00 wanted", refusedError);
        // One that ended far inside its limit was led by its steps throughout: the same training.
        limited["outcome"]!["elapsedSeconds"] = 60.0;
        File.WriteAllText(manifestPath, limited.ToJsonString());
        var (inside, insideOutput, insideError) = await CliRunner.Run(Eval("--seed", "2"));
        Assert.True(inside == 0, insideError + insideOutput);
        Assert.DoesNotContain("training in", insideOutput);
        File.WriteAllText(manifestPath, manifest);

        var (second, secondOutput, secondError) = await CliRunner.Run(Eval("--seed", "2"));
        Assert.True(second == 0, secondError + secondOutput);
        Assert.Contains("Evaluating darwin-tiny seed 2 (", secondOutput);
        Assert.DoesNotContain("training in", secondOutput);

        foreach (var task in Tasks.Select(TaskCatalog.Get))
        {
            var records = TaskDatasetLoader.Load(task, SharedData.Root).Records;
            var test = CrossValidationSplits.For(task, records, SharedData.Root)[0].Test.Select(i => records[i]).ToArray();
            var ensemble = Read(PredictionsFile.PathFor(_dir, task, 0, "seeds-1-2"), task, test);
            var members = new[] { Read(PredictionsFile.PathFor(_dir, task, 0), task, test), Read(PredictionsFile.PathFor(_dir, task, 0, "seed-2"), task, test) };
            for (var i = 0; i < test.Length; i++)
                AssertMeanOfMembers(task, ensemble[i], members.Select(m => m[i]).ToArray());
        }
    }

    [Theory]
    [InlineData("llm:tiny", "--seed 2 --seeds 1,2", "not both")]
    [InlineData("llm:tiny", "--seeds 1,1", "seed 1 is given twice")]
    [InlineData("llm:tiny", "--seeds 0,1", "every seed must be at least 1 (got 0)")]
    [InlineData("llm:tiny", "--seed 0", "--seed must be at least 1 (got 0)")]
    [InlineData("llm:tiny", "--seeds 1,2,3,4,5,6,7,8,9", "at most 8 seeds (got 9)")]
    [InlineData("llm:tiny", "--seeds 1,two", "'two' is not a whole number")]
    [InlineData("llm:tiny", "--seeds 1,,2", "'' is not a whole number")]
    [InlineData("dummy", "--seeds 1,2", "--seed and --seeds choose how llm: models are trained")]
    public async Task BadSeedsAreRefusedWithExitCode2(string model, string seeds, string message)
    {
        var (code, output, error) = await CliRunner.Run(["eval", "--model", model, "--tasks", "matbench_steels", "--folds", "0", "--out", _dir,
            "--data-dir", SharedData.Root, .. seeds.Split(' ')]);
        Assert.Equal(EvalCommand.ExitBadArguments, code);
        Assert.Contains(message, error);
        Assert.Equal("", output);
    }

    private static IReadOnlyList<PredictionRow> Read(string path, PropertyTask task, IReadOnlyList<TaskRecord> test)
    {
        var (rows, problem) = PredictionsFile.TryRead(path, task, test);
        return rows ?? throw new Xunit.Sdk.XunitException($"{path}: {problem}");
    }

    /// <summary>The members' answers that did not fail, averaged; the engine's batching moves the last digits from run to run.</summary>
    private static void AssertMeanOfMembers(PropertyTask task, PredictionRow ensemble, IReadOnlyList<PredictionRow> members)
    {
        var answered = members.Where(m => !m.Failed).ToArray();
        Assert.Equal(answered.Length == 0, ensemble.Failed);
        if (answered.Length == 0) return;
        if (task.Kind == TaskKind.Regression)
        {
            AssertClose(answered.Average(m => m.Scored.Value!.Value), ensemble.Scored.Value!.Value, ensemble);
            AssertClose(answered.Average(m => m.Scored.Low!.Value), ensemble.Scored.Low!.Value, ensemble);
            AssertClose(answered.Average(m => m.Scored.High!.Value), ensemble.Scored.High!.Value, ensemble);
        }
        else
        {
            for (var c = 0; c < task.Classes.Count; c++)
                AssertClose(answered.Average(m => m.Scored.ClassScores![c]), ensemble.Scored.ClassScores![c], ensemble);
        }
    }

    private static void AssertClose(double expected, double actual, PredictionRow row) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-4 * Math.Max(1, Math.Abs(expected)), $"row {row.RowNumber} ({row.Input}): {actual}, the members' mean is {expected}");
}
