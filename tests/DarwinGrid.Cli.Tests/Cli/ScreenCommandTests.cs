using System.CommandLine;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// The grid verbs end to end on an embedded silo: register a tiny random model, screen generated
/// candidates twice (the second time from the cache), list models and campaigns, refuse bad input.
/// </summary>
public sealed class ScreenCommandTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("cli-grid-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task ModelsAddThenScreenPrintsTheRankingAndASecondScreenComesFromTheCache()
    {
        var model = Path.Combine(_home, "tiny.gguf");
        Assert.Equal(0, (await Run("model", "new", "--layers", "2", "--embd", "32", "--heads", "4", "--kv-heads", "2", "--ffn", "64",
            "--context", "256", "--data-dir", SharedData.Root, "--out", model)).Code);
        var (added, addOutput, addError) = await Run("models", "add", "--id", "tiny", "--model", model, "--default", "--home", _home);
        Assert.True(added == 0, addError);
        Assert.Contains("Registered model version 'tiny'", addOutput);
        var (_, models, _) = await Run("models", "--home", _home);
        Assert.Contains("tiny", models);
        Assert.Contains(model, models);

        string[] screen = ["screen", "--tasks", "band_gap,is_metal", "--generate", "{A}{B}O3; A=alkaline-earth; B=3d", "--objective", "band_gap target 1.4",
            "--top", "5", "--quiet", "--home", _home, "--data-dir", SharedData.Root];
        var (code, output, error) = await Run(screen);
        Assert.True(code == 0, error + output);
        Assert.Contains("Completed", output);
        Assert.Contains("60 candidates, 120/120 predictions", output); // 6 alkaline-earth x 10 3d metals
        var table = output.Split('\n').SkipWhile(l => !l.StartsWith("#  composition", StringComparison.Ordinal)).Skip(2).Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(5, table.Count);
        Assert.Contains("matbench_expt_gap", output);

        var (again, secondOutput, secondError) = await Run(screen);
        Assert.True(again == 0, secondError);
        Assert.Contains("120 from the cache", secondOutput);

        // Greedy answers are not the median's: the model is asked again. Ranked by P(success), it is a column.
        var (greedy, greedyOutput, greedyError) = await Run([.. screen, "--estimate", "greedy", "--rank", "success", "--filter", "band_gap between 0 and 10"]);
        Assert.True(greedy == 0, greedyError + greedyOutput);
        Assert.Contains("failed, 60 from the cache", greedyOutput); // is_metal's answers do not depend on the estimate
        Assert.Contains("P(success)", greedyOutput);

        var (_, campaigns, _) = await Run("campaigns", "--home", _home);
        Assert.Equal(3, campaigns.Split('\n').Count(l => l.StartsWith("screen-", StringComparison.Ordinal) && l.Contains("Completed")));
    }

    [Fact]
    public async Task BadScreenInputIsRefusedWithTheProblemNamed()
    {
        var (code, _, error) = await Run("screen", "--tasks", "band_gap", "--home", _home);
        Assert.Equal(2, code);
        Assert.Contains("exactly one of --input FILE and --generate SPEC", error);

        (code, _, error) = await Run("screen", "--tasks", "band_gap", "--generate", "NaCl", "--filter", "band_gap is blue", "--home", _home);
        Assert.Equal(2, code);
        Assert.Contains("band_gap is blue", error);

        (code, _, error) = await Run("screen", "--tasks", "colour", "--generate", "NaCl", "--home", _home);
        Assert.Equal(2, code);
        Assert.Contains("unknown task 'colour'", error);

        (code, _, error) = await Run("screen", "--tasks", "band_gap", "--generate", "NaCl", "--estimate", "best", "--home", _home);
        Assert.Equal(2, code);
        Assert.Contains("--estimate 'best' is not an estimate; expected median|mean|greedy", error);

        (code, _, error) = await Run("screen", "--tasks", "band_gap", "--generate", "NaCl", "--rank", "success", "--pareto", "--home", _home);
        Assert.Equal(2, code);
        Assert.Contains("--pareto contradicts --rank success", error);

        (code, _, error) = await Run("screen", "--tasks", "band_gap", "--generate", "NaCl", "--home", _home);
        Assert.Equal(2, code);
        Assert.Contains("No model version for task", error);
    }

    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await DarwinCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
