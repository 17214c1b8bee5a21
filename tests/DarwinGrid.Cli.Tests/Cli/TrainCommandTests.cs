using DarwinGrid.Inference.Calibration;
using DarwinGrid.Grains.Calibration;
using System.CommandLine;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Runs;
using LLama;
using LLama.Common;

namespace DarwinGrid.Cli.Tests;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TrainWritesAModelLlamaCppLoadsWithAManifestAndALossCurve()
    {
        var (code, output, error) = await Run("train", "--preset", "tiny", "--max-steps", "5", "--threads", "1", "--fold", "0",
            "--tasks", "matbench_expt_gap,matbench_glass", "--out", _dir, "--data-dir", SharedData.Root);

        Assert.True(code == 0, error + output);
        var model = Path.Combine(_dir, "darwin-tiny.gguf");
        Assert.Contains($"Model: {model}", output);
        Assert.Matches(@"step 5/5 epoch 1 loss \d+\.\d+ .* tokens/s elapsed \d\d:\d\d:\d\d ETA", output);
        Assert.Contains("Trainer self-test passed", output);

        var parameters = new ModelParams(model) { ContextSize = 256, GpuLayerCount = 0 };
        using (var weights = LLamaWeights.LoadFromFile(parameters))
        using (var context = weights.CreateContext(parameters))
        {
            Assert.Equal(TrainingPresets.Tiny.EmbeddingLength, weights.EmbeddingSize);
            Assert.True(context.Tokenize("What is band gap of given composition? -> Fe2O3").Length > 3);
        }

        var manifest = TrainingRunManifest.ReadFrom(Path.Combine(_dir, "darwin-tiny.manifest.json"));
        Assert.Equal(["matbench_expt_gap", "matbench_glass"], manifest.Data.Tasks.Select(t => t.Task));
        Assert.All(manifest.Data.Files, f => Assert.Matches("^[0-9a-f]{64}$", f.Sha256));
        Assert.Equal(5, manifest.Outcome.Steps);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(_dir, "darwin-tiny.loss.csv")).Count(l => l.StartsWith("step,", StringComparison.Ordinal)) + 1);

        // The run calibrated its model on its own validation records, never on the fold it left out.
        var calibration = CalibrationGguf.Read(model);
        Assert.NotNull(calibration);
        // Every class answer scores; a 5-step model may end some numbers only after the token cap.
        Assert.Equal(manifest.Data.Tasks.Single(t => t.Task == "matbench_glass").Validation, calibration.Temperatures["matbench_glass"].Records);
        Assert.InRange(calibration.Intervals["matbench_expt_gap"].Records, 1, manifest.Data.Tasks.Single(t => t.Task == "matbench_expt_gap").Validation);
        Assert.Contains("fold 0 of 5 excluded", calibration.FittedOn);
        Assert.Contains("Calibration: matbench_expt_gap:", output);
        // The error where it was calibrated is stored with it and printed: what `darwin train` compares recipes by.
        Assert.InRange(calibration.Intervals["matbench_expt_gap"].MedianAbsoluteError!.Value, 0, 1e6);
        Assert.Matches(@"matbench_expt_gap: \d+ validation records, median's MAE \d", output);

        // The trained file is a model the evaluation harness scores on the fold it was trained without.
        var (evalCode, evalOutput, evalError) = await Run("eval", "--model", model, "--tasks", "matbench_expt_gap,matbench_glass", "--folds", "0",
            "--out", Path.Combine(_dir, "eval"), "--data-dir", SharedData.Root);
        Assert.True(evalCode == 0, evalError + evalOutput);
        Assert.Matches(@"matbench_expt_gap\s+mae\s+\d+\.\d{4}", evalOutput);
        Assert.Matches(@"matbench_glass\s+rocauc\s+0\.\d{4}", evalOutput);
    }

    [Theory]
    [InlineData("Unknown training preset 'huge'", "--preset", "huge")]
    [InlineData("Fold 7 does not exist", "--preset", "tiny", "--fold", "7")]
    [InlineData("Unknown training stage 'pretrain'", "--preset", "tiny", "--stages", "pretrain")]
    [InlineData("--base new:mini and --preset tiny name different recipes", "--preset", "tiny", "--base", "new:mini")]
    [InlineData("there is no model file", "--base", "missing.gguf")]
    [InlineData("--mode must be full or lora", "--preset", "tiny", "--mode", "half")]
    [InlineData("--task-weights: 'matbench_glass' is not task=weight", "--preset", "tiny", "--task-weights", "matbench_glass")]
    [InlineData("there is no checkpoint", "--preset", "tiny", "--resume")]
    [InlineData("--epochs must be at least 1", "--preset", "tiny", "--epochs", "0")]
    [InlineData("Unknown task 'band_gap'", "--preset", "tiny", "--tasks", "band_gap")]
    [InlineData("Unknown prompt format 'chat'", "--preset", "tiny", "--format", "chat")]
    [InlineData("--max-minutes must be positive", "--preset", "tiny", "--max-minutes", "-1")]
    public async Task InvalidArgumentsFailWithAClearMessageAndWriteNothing(string message, params string[] arguments)
    {
        var output = Path.Combine(_dir, "out");
        var (code, _, error) = await Run(["train", .. arguments, "--out", output, "--data-dir", SharedData.Root]);
        Assert.Equal(1, code);
        Assert.Contains(message, error);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task PresetAndOutputAreRequired()
    {
        var (code, _, error) = await Run("train", "--preset", "tiny");
        Assert.NotEqual(0, code);
        Assert.Contains("--out", error);
    }

    [Fact]
    public async Task ModelMiniPrintsTheCachedModelWithoutTraining()
    {
        // A cached, already calibrated model: 'model mini' neither trains nor calibrates (no data is reachable).
        var cached = Path.Combine(_dir, "models", "darwin-mini.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
        Assert.Equal(0, (await Run("model", "new", "--layers", "1", "--embd", "32", "--heads", "4", "--ffn", "64", "--context", "256",
            "--data-dir", SharedData.Root, "--out", cached)).Code);
        CalibrationGguf.Write(cached, new ModelCalibration { FittedOn = "test" });
        var before = File.GetLastWriteTimeUtc(cached);
        var (code, output, error) = await Run("model", "mini", "--home", _dir, "--data-dir", Path.Combine(_dir, "no-data"));
        Assert.True(code == 0, error);
        Assert.Equal(cached, output.Trim());
        Assert.Equal(before, File.GetLastWriteTimeUtc(cached));
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await DarwinCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
