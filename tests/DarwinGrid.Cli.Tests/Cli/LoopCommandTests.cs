using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// 'darwin loop' on an embedded silo: a screened campaign, a proposed batch, a refused and an accepted
/// measured-values file, the loop shown; bad input refused with the problem named. Slow: nine verbs,
/// each starting its own silo (37 s at load 30).
/// </summary>
[Trait("Category", TestCategories.Slow)]
public sealed class LoopCommandTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("cli-loop-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }

    [Fact]
    public async Task LoopVerbsProposeTakeMeasuredValuesAndShowTheLoop()
    {
        var model = Path.Combine(_home, "tiny.gguf");
        Assert.Equal(0, (await CliRunner.Run("model", "new", "--layers", "2", "--embd", "32", "--heads", "4", "--kv-heads", "2", "--ffn", "64",
            "--context", "256", "--data-dir", SharedData.Root, "--out", model)).ExitCode);
        Assert.Equal(0, (await CliRunner.Run("models", "add", "--id", "tiny", "--model", model, "--default", "--home", _home)).ExitCode);
        var (screened, _, screenError) = await CliRunner.Run("screen", "--tasks", "band_gap", "--generate", "{A}{B}O3; A=alkaline-earth; B=3d",
            "--filter", "band_gap between 0 and 100", "--objective", "maximize band_gap", "--top", "3", "--quiet", "--home", _home, "--data-dir", SharedData.Root);
        Assert.True(screened == 0, screenError);
        var (_, campaigns, _) = await CliRunner.Run("campaigns", "--home", _home);
        var id = campaigns.Split('\n').Single(l => l.StartsWith("screen-", StringComparison.Ordinal)).Split(' ')[0];

        var (proposed, proposal, proposeError) = await CliRunner.Run("loop", "propose", "--campaign", id, "--n", "5", "--rule", "poi", "--home", _home);
        Assert.True(proposed == 0, proposeError);
        Assert.Contains("Round 1: 5 candidates by poi (model tiny", proposal);
        var rows = proposal.Split('\n').SkipWhile(l => !l.StartsWith("rank", StringComparison.Ordinal)).Skip(2).Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(5, rows.Count);
        var compositions = rows.Select(r => r.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]).ToArray();

        var bad = Path.Combine(_home, "bad.csv");
        await File.WriteAllTextAsync(bad, $"composition,task,value\n{compositions[0]},band_gap,1.0\n{compositions[1]},band_gap,n/a\nAu,band_gap,0\n");
        var (refused, _, refusal) = await CliRunner.Run("loop", "measured", "--campaign", id, "--input", bad, "--home", _home);
        Assert.Equal(1, refused);
        Assert.Contains("nothing imported", refusal);
        Assert.Contains("line 3:", refusal);
        Assert.Contains("line 4: 'Au' is not a candidate of this campaign", refusal);

        var good = Path.Combine(_home, "measured.csv");
        await File.WriteAllTextAsync(good, $"composition,task,value\n{compositions[0]},band_gap,1.0\n{compositions[1]},band_gap,2.0\n");
        var (accepted, upload, uploadError) = await CliRunner.Run("loop", "measured", "--campaign", id, "--input", good, "--home", _home);
        Assert.True(accepted == 0, uploadError);
        Assert.Contains("Lab dataset version 1: 2 rows (0 re-measured) from measured.csv, uploaded by ", upload);
        Assert.Contains("(cli)", upload);

        var (_, shown, _) = await CliRunner.Run("loop", "show", "--campaign", id, "--home", _home);
        Assert.Contains("Measured vs predicted:", shown);
        Assert.Contains(compositions[1], shown.Split("Measured vs predicted:")[1]);

        // Refusals: an unknown rule, an unknown campaign, a rescreen with nothing to screen with.
        var (rule, _, ruleError) = await CliRunner.Run("loop", "propose", "--campaign", id, "--rule", "greedy", "--home", _home);
        Assert.Equal(1, rule);
        Assert.Contains("Unknown acquisition rule 'greedy'; expected poi|ei|ucb", ruleError);
        var (unknown, _, unknownError) = await CliRunner.Run("loop", "propose", "--campaign", "nope", "--home", _home);
        Assert.Equal(1, unknown);
        Assert.Contains("Campaign 'nope' does not exist", unknownError);
        var (rescreen, _, rescreenError) = await CliRunner.Run("loop", "rescreen", "--campaign", id, "--home", _home);
        Assert.Equal(1, rescreen);
        Assert.Contains("no completed update", rescreenError);
    }
}
