using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

public class EvalCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await DarwinCommandLine.Build().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string TemporaryFolder() =>
        Path.Combine(Path.GetTempPath(), "darwingrid-cli-eval", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task EvalGbtOnSteelsWritesPredictionsMetricsAndMarkdownAndResumes()
    {
        var outDir = TemporaryFolder();
        string[] args = ["eval", "--tasks", "matbench_steels", "--model", "magpie-gbt", "--folds", "0,2", "--out", outDir, "--data-dir", SharedData.Root];

        var (exitCode, output, error) = await Run(args);
        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        Assert.Matches(new Regex(@"^matbench_steels fold 0: mae \d+(\.\d+)?, rmse .*\(fit .* s, predict .* s\)$", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^matbench_steels fold 2: mae ", RegexOptions.Multiline), output);
        Assert.DoesNotMatch(new Regex(@"fold [134]:"), output);
        Assert.Matches(new Regex(@"^matbench_steels\s+mae\s+\d+\.\d{4}\s+\d+\.\d{4}\s+2\s+0$", RegexOptions.Multiline), output);
        Assert.True(File.Exists(Path.Combine(outDir, "matbench_steels", "fold-0.predictions.csv")));
        Assert.True(File.Exists(Path.Combine(outDir, "matbench_steels", "fold-2.predictions.csv")));
        Assert.False(File.Exists(Path.Combine(outDir, "matbench_steels", "fold-1.predictions.csv")));

        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "metrics.json"))))
        {
            Assert.Equal("magpie-gbt", json.RootElement.GetProperty("model").GetString());
            var mae = json.RootElement.GetProperty("tasks")[0].GetProperty("summary").GetProperty("mae");
            Assert.Equal(2, mae.GetProperty("folds").GetInt32());
            // Yield strengths span ~1000-2500 MPa; the dummy is off by ~230 on average, the trees by far less.
            Assert.InRange(mae.GetProperty("mean").GetDouble(), 30, 200);
        }
        Assert.Contains("| matbench_steels | **mae** |", File.ReadAllText(Path.Combine(outDir, "results.md")));

        var (secondExit, secondOutput, _) = await Run(args);
        Assert.Equal(0, secondExit);
        Assert.Matches(new Regex(@"^matbench_steels fold 0: .*\(resumed\)$", RegexOptions.Multiline), secondOutput);
        Assert.Matches(new Regex(@"^matbench_steels fold 2: .*\(resumed\)$", RegexOptions.Multiline), secondOutput);
    }

    [Theory]
    [InlineData("--model", "gpt5", "Unknown model 'gpt5'. Accepted: dummy, magpie-gbt, magpie-rf, <file>.gguf, llm:<preset>[+qa][:single][:lora].")]
    [InlineData("--model", "no-such-model.gguf", "no-such-model.gguf' does not exist")]
    [InlineData("--tasks", "matbench_nope", "Unknown task 'matbench_nope'")]
    [InlineData("--folds", "0..7", "fold 7 does not exist")]
    public async Task EvalRefusesBadArgumentsWithExitCode2(string option, string value, string message)
    {
        var args = new Dictionary<string, string> { ["--model"] = "dummy", ["--tasks"] = "matbench_steels", ["--folds"] = "0" };
        args[option] = value;
        var (exitCode, output, error) = await Run(["eval", .. args.SelectMany(a => new[] { a.Key, a.Value }), "--out", TemporaryFolder(), "--data-dir", SharedData.Root]);
        Assert.Equal(EvalCommand.ExitBadArguments, exitCode);
        Assert.Contains(message, error);
        Assert.Equal("", output);
    }
}
