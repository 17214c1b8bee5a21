using System.CommandLine;
using System.Text.RegularExpressions;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

public class DatasetsCommandTests
{

    /// <summary>Data lines of a CSV whose rows have no embedded newlines (all four matbench files).</summary>
    private static int CsvDataLines(params string[] path) =>
        File.ReadLines(SharedData.PathOf(path)).Count(l => l.Length > 0) - 1;

    [Fact]
    public async Task ListPrintsTheMatbenchTasksWithTheirRealRowCounts()
    {
        var (exitCode, output, error) = await CliRunner.Run("datasets", "list", "--data-dir", SharedData.Root);

        Assert.Equal(0, exitCode);
        Assert.Equal("", error);
        foreach (var name in new[] { "matbench_expt_gap", "matbench_is_metal", "matbench_glass", "matbench_steels" })
        {
            var rows = CsvDataLines("darwin", name, name + ".csv");
            Assert.Matches(new Regex($@"^{name}\s+\w+\s+\S+\s+Composition\s+{rows}\s+0$", RegexOptions.Multiline), output);
        }
        Assert.Matches(new Regex(@"^task\s+kind\s+unit\s+input\s+rows\s+skipped$", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^matbench_expt_gap\s+Regression\s+eV\s", RegexOptions.Multiline), output);
        Assert.Matches(new Regex(@"^pei_phase\s+MultiClass\s+-\s+Alloy\s+1252\s+0$", RegexOptions.Multiline), output);
        Assert.All(DarwinGrid.Domain.Tasks.TaskCatalog.All, t =>
            Assert.Matches(new Regex($@"^{t.Name}\s.*\s[1-9]\d*\s+\d+$", RegexOptions.Multiline), output));
    }

    [Fact]
    public async Task ListReportsAMissingDataFolder()
    {
        var (exitCode, output, error) = await CliRunner.Run("datasets", "list", "--data-dir", "/nonexistent/darwingrid-data");
        Assert.Equal(1, exitCode);
        Assert.Equal("", output);
        Assert.Contains("/nonexistent/darwingrid-data", error);
    }
}
