using DarwinGrid.Grains.Calibration;
using DarwinGrid.Inference.Calibration;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Cli.Tests;

/// <summary><c>--views N</c> on predict, eval and model calibrate (issue 15): limits, and the warning when the calibration pooled another number of views.</summary>
public sealed class ViewsOptionTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-views-").FullName;
    private readonly string _input;

    public ViewsOptionTests()
    {
        _input = Path.Combine(_dir, "in.csv");
        File.WriteAllLines(_input, ["composition", "Fe2O3", "GaAs"]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    public async Task EveryVerbRefusesAViewCountOutsideOneToSixteen(string views)
    {
        var expected = $"--views must be between 1 and 16 (got {views}).";
        var output = Path.Combine(_dir, "out.csv");
        // The count is refused before any model is loaded: a file by that name is all it takes.
        var model = Path.Combine(_dir, "unread.gguf");
        File.WriteAllText(model, "not read");

        var predict = await CliRunner.Run("predict", "-m", model, "-t", "matbench_expt_gap", "-i", _input, "-o", output, "--views", views);
        var eval = await CliRunner.Run("eval", "--model", model, "--tasks", "matbench_expt_gap", "--folds", "0", "--out", _dir, "--data-dir", SharedData.Root, "--views", views);
        var calibrate = await CliRunner.Run("model", "calibrate", "--model", model, "--views", views);

        Assert.Equal((2, expected), (predict.ExitCode, predict.Error.Trim()));
        Assert.Equal((2, expected), (eval.ExitCode, eval.Error.Trim()));
        Assert.Equal((2, $"darwin model calibrate: {expected}"), (calibrate.ExitCode, calibrate.Error.Trim()));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task EvalRefusesViewsForAModelThatIsNotALanguageModel()
    {
        var (code, _, error) = await CliRunner.Run("eval", "--model", "dummy", "--tasks", "matbench_steels", "--folds", "0", "--out", _dir, "--data-dir", SharedData.Root, "--views", "4");

        Assert.Equal(2, code);
        Assert.Equal("--views applies to language models (GGUF files and llm: specs), not to 'dummy'.", error.Trim());
    }

    [Fact]
    public async Task PredictWarnsOnceWhenTheCalibrationWasFittedWithOtherViews()
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        var model = Path.Combine(_dir, "tiny.gguf");
        RandomLlamaModel.Write(model, new LlamaHyperparameters(vocabulary.Count, 32, 2, 4, 2, 64), vocabulary, seed: 5);
        CalibrationGguf.Write(model, new ModelCalibration { FittedOn = "test", Views = 1 });
        var output = Path.Combine(_dir, "two.csv");

        var (code, _, error) = await CliRunner.Run("predict", "-m", model, "-t", "matbench_expt_gap", "-i", _input, "-o", output, "--views", "2");
        var (matching, _, quiet) = await CliRunner.Run("predict", "-m", model, "-t", "matbench_expt_gap", "-i", _input, "-o", output, "--views", "1");

        Assert.True(code == 0, error);
        Assert.Single(error.Split('\n'), line => line.StartsWith("Warning: the model's calibration was fitted with 1 view per candidate, these predictions pool 2"));
        Assert.Equal(3, File.ReadAllLines(output).Length);
        Assert.True(matching == 0, quiet);
        Assert.DoesNotContain("Warning", quiet);
    }
}
