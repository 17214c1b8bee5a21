using System.Security.Cryptography;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Evaluation.Harness;
using DarwinGrid.Evaluation.Models;
using DarwinGrid.Silo.Cli;
using DarwinGrid.Silo.LanguageModelEvaluation;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// <c>darwin eval --model llm:...</c>: per-fold training with the tiny preset and a few steps, on the
/// real data: the fold's test compositions are not trained on, a finished fold's model is reused, a
/// cancelled one resumes, and the spec variants train what they say.
/// </summary>
public sealed class EvalTrainedModelTests : IDisposable
{
    private static readonly string[] TwoTasks = ["matbench_expt_gap", "matbench_is_metal"];

    private readonly string _dir = Directory.CreateTempSubdirectory("cli-eval-llm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task LlmTrainsTheFoldWithoutItsTestCompositionsThenReusesTheModel()
    {
        string[] args = ["eval", "--model", "llm:tiny", "--tasks", string.Join(",", TwoTasks), "--folds", "0", "--train-steps", "3",
            "--threads", "1", "--out", _dir, "--data-dir", SharedData.Root];
        var (code, output, error) = await CliRunner.Run(args);
        Assert.True(code == 0, error + output);
        Assert.Contains("all fold 0 model: training in", output);
        Assert.Matches(@"step 3/3 epoch 1 loss", output);
        Assert.Matches(@"(?m)^matbench_expt_gap fold 0: mae \d", output);
        Assert.Matches(@"(?m)^matbench_is_metal fold 0: accuracy \d", output);

        // One multi-task model for the fold, trained on both tasks with fold 0 left out.
        var train = FoldTraining.TrainDirectory(_dir, FoldTraining.MultiTaskScope, 0);
        var model = TrainingRun.ModelPath(train, "darwin-tiny");
        var manifest = TrainingRunManifest.ReadFrom(TrainingRun.ManifestPath(train, "darwin-tiny"));
        Assert.Equal(3, manifest.Outcome.Steps);
        Assert.Equal(0, manifest.Data.Fold?.Index);
        Assert.Equal(TwoTasks, manifest.Data.Tasks.Select(t => t.Task));

        // The run's data selection (the plan the spec makes, loaded here) holds none of fold 0's test inputs of
        // either task, and it is the selection the run trained on: the manifest's counts are its counts.
        var tasks = TwoTasks.Select(TaskCatalog.Get).ToArray();
        var plan = new FoldTraining(TrainedModelSpec.TryParse("llm:tiny")!, new TrainedModelOptions { TrainSteps = 3 }, SharedData.Root)
            .FoldPlan(new FoldRequest(tasks[0], 0, tasks, _dir), qaModel: null);
        var mixture = MultiTaskMixture.Load(SharedData.Root, new TrainingDataSelection(plan.Preset) { Tasks = plan.Tasks, Fold = plan.Fold, Seed = plan.Seed }.MixtureOptions());
        var heldOut = tasks.SelectMany(task =>
        {
            var records = TaskDatasetLoader.Load(task, SharedData.Root).Records;
            return CrossValidationSplits.For(task, records, SharedData.Root)[0].Test.Select(i => records[i].Input);
        }).ToHashSet();
        // The two tasks test the same band-gap compositions in fold 0 (their folds follow each other): ~890 inputs.
        Assert.True(heldOut.Count > 800);
        foreach (var partition in mixture.Partitions)
        {
            Assert.DoesNotContain(partition.Train.Concat(partition.Validation), r => heldOut.Contains(r.Input));
            var recorded = manifest.Data.Tasks.Single(t => t.Task == partition.Task.Name);
            Assert.Equal(partition.Train.Count, recorded.Train);
            Assert.Equal(partition.TestFold, recorded.TestFold);
            Assert.True(partition.TestFold > 800, $"{partition.Task.Name}: fold 0 test part {partition.TestFold}");
        }

        // Second run without the predictions: the fold's model is reused, not retrained, and predicts the same.
        var predictions = TwoTasks.Select(t => PredictionsFile.PathFor(_dir, TaskCatalog.Get(t), 0)).ToArray();
        var first = predictions.Select(File.ReadAllText).ToArray();
        var modelHash = Sha256(model);
        var modelTime = File.GetLastWriteTimeUtc(model);
        foreach (var file in predictions) File.Delete(file);
        var (again, againOutput, againError) = await CliRunner.Run(args);
        Assert.True(again == 0, againError + againOutput);
        Assert.Contains("all fold 0 model: reusing", againOutput);
        Assert.DoesNotContain("training in", againOutput);
        Assert.DoesNotContain("self-test", againOutput);
        Assert.Equal(modelHash, Sha256(model));
        Assert.Equal(modelTime, File.GetLastWriteTimeUtc(model));
        // The engine batches prompts differently from run to run, so class probabilities may differ in the last digits.
        for (var i = 0; i < predictions.Length; i++)
            AssertSamePredictions(first[i], File.ReadAllText(predictions[i]));

        // A different budget is not silently served by that model.
        foreach (var file in predictions) File.Delete(file);
        string[] otherBudget = [.. args];
        otherBudget[Array.IndexOf(otherBudget, "--train-steps") + 1] = "4";
        var (other, _, otherError) = await CliRunner.Run(otherBudget);
        Assert.Equal(EvalCommand.ExitFailed, other);
        Assert.Contains("trained differently", otherError);
        Assert.Contains("max steps: 3 there, 4 wanted", otherError);
    }

    [Fact]
    public void ACancelledFoldTrainingResumesFromItsCheckpoint()
    {
        var spec = TrainedModelSpec.TryParse("llm:tiny")!;
        var options = new TrainedModelOptions { TrainSteps = 6, CheckpointEverySteps = 2, Threads = 1 };
        var task = TaskCatalog.Get("matbench_is_metal");
        var request = new FoldRequest(task, 1, [task], _dir);
        var log = new StringWriter();
        using var cancel = new CancellationTokenSource();
        var stopAfterStep3 = new CallbackProgress(p =>
        {
            if (p.Kind == TrainingProgressKind.Step && p.Step >= 3) cancel.Cancel();
        });

        Assert.ThrowsAny<OperationCanceledException>(() =>
            new FoldTraining(spec, options, SharedData.Root, stopAfterStep3, new WriterLogger(log)).EnsureModel(request, cancel.Token));
        var train = FoldTraining.TrainDirectory(_dir, FoldTraining.MultiTaskScope, 1);
        Assert.True(File.Exists(TrainingRun.CheckpointPath(train, "darwin-tiny")));
        Assert.False(File.Exists(TrainingRun.ModelPath(train, "darwin-tiny")));

        var path = new FoldTraining(spec, options, SharedData.Root, null, new WriterLogger(log)).EnsureModel(request, CancellationToken.None);
        Assert.Contains("all fold 1 model: resuming the interrupted training", log.ToString());
        Assert.Equal(TrainingRun.ModelPath(train, "darwin-tiny"), path);
        var manifest = TrainingRunManifest.ReadFrom(TrainingRun.ManifestPath(train, "darwin-tiny"));
        Assert.Equal(6, manifest.Outcome.Steps);
        Assert.Equal(1, manifest.Data.Fold?.Index);
        var resumedAt = Assert.Single(manifest.StageRuns[^1].ResumedAtSteps);
        Assert.InRange(resumedAt, 2, 4);
        Assert.False(File.Exists(TrainingRun.CheckpointPath(train, "darwin-tiny")));
    }

    [Fact]
    public async Task QaLoraSingleTrainsTheQAModelOnceThenALoRAModelPerTaskOnIt()
    {
        var (code, output, error) = await CliRunner.Run("eval", "--model", "llm:tiny+qa:single:lora", "--tasks", "matbench_is_metal", "--folds", "2",
            "--train-steps", "2", "--qa-steps", "2", "--threads", "1", "--out", _dir, "--data-dir", SharedData.Root);
        Assert.True(code == 0, error + output);
        Assert.Contains("QA model: training in", output);
        Assert.Contains("matbench_is_metal fold 2 model: training in", output);

        var qa = TrainingRunManifest.ReadFrom(TrainingRun.ManifestPath(FoldTraining.QaDirectory(_dir), "darwin-tiny"));
        Assert.Equal([TrainingStages.Qa], qa.Stages);
        Assert.Equal(2, qa.Outcome.Steps);
        Assert.Null(qa.Data.Fold);

        var train = FoldTraining.TrainDirectory(_dir, "matbench_is_metal", 2);
        var manifest = TrainingRunManifest.ReadFrom(TrainingRun.ManifestPath(train, "darwin-tiny-tiny"));
        Assert.Equal(TrainingMode.Lora, manifest.Mode);
        Assert.Equal(qa.ModelSha256, manifest.BaseSha256);
        Assert.Equal(["matbench_is_metal"], manifest.Data.Tasks.Select(t => t.Task));
        Assert.Equal(2, manifest.Data.Fold?.Index);
        Assert.True(File.Exists(TrainingRun.StageAdapterPath(train, "darwin-tiny-tiny", TrainingStages.MultiTask)));
        Assert.Matches(@"(?m)^matbench_is_metal fold 2: accuracy \d", output);
    }

    [Theory]
    [InlineData("llm:mini", "darwin-mini", false, false, TrainingMode.Full)]
    [InlineData("llm:mini+qa", "darwin-mini+qa", true, false, TrainingMode.Full)]
    [InlineData("llm:mini:single", "darwin-mini-single", false, true, TrainingMode.Full)]
    [InlineData("llm:MINI+qa:lora", "darwin-mini+qa-lora", true, false, TrainingMode.Lora)]
    [InlineData("llm:tiny+qa:single:lora", "darwin-tiny+qa-single-lora", true, true, TrainingMode.Lora)]
    public void SpecsParseIntoStagesScopeAndMode(string text, string name, bool qa, bool single, TrainingMode mode)
    {
        var spec = TrainedModelSpec.TryParse(text)!;
        Assert.Equal((name, qa, single, mode), (spec.Name, spec.QaStage, spec.SingleTask, spec.Mode));
        Assert.Equal(spec, TrainedModelSpec.TryParse(spec.ToString()));
    }

    [Theory]
    [InlineData("llm:mini:lora", "LoRA needs a pretrained base")]
    [InlineData("llm:huge", "Unknown training preset 'huge'")]
    [InlineData("llm:mini+pretrain", "'+pretrain' is not a stage")]
    [InlineData("llm:mini:fast", "unknown option ':fast'")]
    [InlineData("llm:", "names no preset")]
    public async Task BadLlmSpecsAreRefusedWithExitCode2(string spec, string message)
    {
        var (code, output, error) = await CliRunner.Run("eval", "--model", spec, "--tasks", "matbench_steels", "--folds", "0", "--out", _dir, "--data-dir", SharedData.Root);
        Assert.Equal(EvalCommand.ExitBadArguments, code);
        Assert.Contains(message, error);
        Assert.Equal("", output);
    }

    [Fact]
    public async Task TrainStepsAreRefusedForAModelThatDoesNotTrain()
    {
        var (code, _, error) = await CliRunner.Run("eval", "--model", "dummy", "--train-steps", "5", "--tasks", "matbench_steels", "--folds", "0", "--out", _dir, "--data-dir", SharedData.Root);
        Assert.Equal(EvalCommand.ExitBadArguments, code);
        Assert.Contains("--train-steps and --qa-steps apply to llm: models", error);
    }

    private static void AssertSamePredictions(string expected, string actual)
    {
        var (e, a) = (expected.Split('\n'), actual.Split('\n'));
        Assert.Equal(e.Length, a.Length);
        for (var line = 0; line < e.Length; line++)
        {
            var (ef, af) = (e[line].Split(','), a[line].Split(','));
            Assert.Equal(ef.Length, af.Length);
            for (var f = 0; f < ef.Length; f++)
            {
                if (double.TryParse(ef[f], System.Globalization.CultureInfo.InvariantCulture, out var x) &&
                    double.TryParse(af[f], System.Globalization.CultureInfo.InvariantCulture, out var y))
                    Assert.True(Math.Abs(x - y) <= 1e-4 * Math.Max(1, Math.Abs(x)), $"line {line}: {e[line]} vs {a[line]}");
                else
                    Assert.Equal(ef[f], af[f]);
            }
        }
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private sealed class CallbackProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
