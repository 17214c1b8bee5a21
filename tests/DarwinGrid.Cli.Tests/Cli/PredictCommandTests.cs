using System.Globalization;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Cli.Tests;

public sealed class PredictCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-predict-").FullName;
    private readonly string _model;

    public PredictCommandTests()
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        _model = Path.Combine(_dir, "tiny.gguf");
        RandomLlamaModel.Write(_model, new LlamaHyperparameters(vocabulary.Count, 32, 2, 4, 2, 64), vocabulary, seed: 5);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ClassificationRowsGetAProbabilityAndBadRowsAnErrorWhileTheRunGoesOn()
    {
        var input = WriteCsv("id,composition", "1,Fe2O3", "2,Xx3O", "3,\"Ag(W3Br7)2\"", "4,NaCl");
        var output = Path.Combine(_dir, "out.csv");

        var (code, _, error) = await CliRunner.Run("predict", "--model", _model, "--task", "is_metal", "--input", input, "--output", output, "--seqmax", "4");

        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(output);
        Assert.Equal("composition,prediction,probability,raw_answer,error", lines[0]);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("Fe2O3,", lines[1]);
        Assert.Matches(@"^Fe2O3,(true|false),[0-9.E-]+,"" (Yes|No)"",$", lines[1]);
        Assert.Matches(@"^Xx3O,,,,.*not a valid composition.*Xx", lines[2]);
        Assert.StartsWith("Ag(W3Br7)2,", lines[3]);
        Assert.Contains("line 3", error);
        Assert.Contains("4 rows, 3 predicted, 1 failed", error);
    }

    [Fact]
    public async Task RegressionRowsHaveNoProbabilityColumnAndEndWithTheInterval()
    {
        var input = WriteCsv("composition", "Fe2O3", "GaAs");
        var output = Path.Combine(_dir, "gap.csv");

        var (code, _, error) = await CliRunner.Run("predict", "-m", _model, "-t", "matbench_expt_gap", "-i", input, "-o", output);

        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(output);
        Assert.Equal("composition,prediction,raw_answer,error,prediction_low,prediction_high", lines[0]);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines.Skip(1))
        {
            var cells = line.Split(',');
            if (cells[3] != "") continue;
            var (value, low, high) = (double.Parse(cells[1], CultureInfo.InvariantCulture), double.Parse(cells[4], CultureInfo.InvariantCulture), double.Parse(cells[5], CultureInfo.InvariantCulture));
            Assert.InRange(value, low, high);
        }
    }

    [Fact]
    public async Task GreedyEstimateLeavesTheIntervalEmptyAndAnUnknownEstimateNamesTheChoices()
    {
        var input = WriteCsv("composition", "Fe2O3");
        var output = Path.Combine(_dir, "greedy.csv");

        var (code, _, error) = await CliRunner.Run("predict", "-m", _model, "-t", "matbench_expt_gap", "-i", input, "-o", output, "--estimate", "greedy");
        Assert.True(code == 0, error);
        Assert.EndsWith(",,", File.ReadAllLines(output)[1]);

        var (bad, _, message) = await CliRunner.Run("predict", "-m", _model, "-t", "matbench_expt_gap", "-i", input, "-o", output, "--estimate", "mode");
        Assert.Equal(2, bad);
        Assert.Contains("median|mean|greedy", message);
    }

    [Theory]
    [InlineData("--task", "no_such_task", "Unknown task 'no_such_task'")]
    [InlineData("--column", "formula", "formula")]
    public async Task BadArgumentsFailWithExitCode2AndTheReason(string option, string value, string expected)
    {
        var input = WriteCsv("composition", "Fe2O3");
        string[] args = ["predict", "--model", _model, "--task", "band_gap", "--input", input, "--output", Path.Combine(_dir, "x.csv")];
        var index = Array.IndexOf(args, option);
        if (index >= 0) args[index + 1] = value;
        else args = [.. args, option, value];

        var (code, _, error) = await CliRunner.Run(args);

        Assert.Equal(2, code);
        Assert.Contains(expected, error);
        Assert.False(File.Exists(Path.Combine(_dir, "x.csv")));
    }

    [Fact]
    public async Task AFileThatIsNotAModelIsReportedByName()
    {
        var notAModel = Path.Combine(_dir, "model.gguf");
        File.WriteAllText(notAModel, "composition\nFe2O3\n");
        var (code, _, error) = await CliRunner.Run("predict", "--model", notAModel, "--task", "band_gap", "--input", WriteCsv("composition", "Fe2O3"), "--output", Path.Combine(_dir, "y.csv"));

        Assert.Equal(2, code);
        Assert.Contains(notAModel, error);
        Assert.Contains("GGUF", error);
    }

    private string WriteCsv(params string[] lines)
    {
        var path = Path.Combine(_dir, $"in-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, lines);
        return path;
    }
}
