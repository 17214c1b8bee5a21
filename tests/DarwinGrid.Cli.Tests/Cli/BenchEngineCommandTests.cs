using System.Text.RegularExpressions;
using DarwinGrid.Silo.Cli;

namespace DarwinGrid.Cli.Tests;

public sealed class BenchEngineCommandTests
{
    [Fact]
    [Trait("Category", DarwinGrid.TestSupport.TestCategories.Slow)]
    public async Task ASmallRunOnARandomModelEndsWithTheRatioLine()
    {
        var output = new StringWriter();
        var exit = await BenchEngineCommand.RunAsync(
            new BenchEngineCommand.Settings(ModelPath: null, Task: "matbench_expt_gap", PromptFormat: "darwin", Candidates: 24, NaiveCandidates: 4, SeqMax: 8, MaxTokens: 4, Threads: 2, Repeats: 1, ContextSize: 4096, DataDir: null),
            output, CancellationToken.None);

        Assert.Equal(0, exit);
        var lines = output.ToString().TrimEnd().Split('\n');
        var last = Regex.Match(lines[^1], @"^engine/naive=(\d+\.\d\d) engine/ceiling=(\d+\.\d\d)$");
        Assert.True(last.Success, $"unexpected last line: {lines[^1]}");
        // Speed itself is not asserted: runs this small on shared cores are noise (see the report).
        Assert.True(double.Parse(last.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("naive") && l.Contains("candidates/s"));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("ceiling") && l.Contains("tokens/s"));
    }

    [Theory]
    [InlineData("--data-dir", "/no/such/data", "Data directory '/no/such/data' does not exist")]
    [InlineData("--n", "0", "--n, --naive-n, --repeats and --max-tokens must be at least 1")]
    public async Task BadInputIsOneLineAndExitTwo(string option, string value, string message)
    {
        var (code, _, error) = await CliRunner.Run("bench", "engine", option, value);
        Assert.Equal(2, code);
        Assert.Contains("darwin bench engine:", error);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
    }

    [Fact]
    public void TheBenchGroupIsRegistered()
    {
        var parse = DarwinCommandLine.Build().Parse("bench engine --n 10 --seqmax 4");
        Assert.Empty(parse.Errors);
        Assert.Equal("engine", parse.CommandResult.Command.Name);
    }
}
