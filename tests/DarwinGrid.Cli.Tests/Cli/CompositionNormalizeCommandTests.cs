using System.CommandLine;
using DarwinGrid.Silo.Cli;

namespace DarwinGrid.Cli.Tests;

public sealed class CompositionNormalizeCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("darwin-composition");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteInput(string name, string content)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }


    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private const string MixedInput =
        "composition,band gap\n" +
        "O3Fe2,2.1\n" +
        "FeXx2,0\n" +
        "\"Ag(AuS)2\",1.5\n" +
        "(Fe,3\n" +
        "Fe0.5Ni0.5,0\n";

    [Fact]
    public async Task WritesOneRowPerInputRowAndReportsFailuresWithLineNumbers()
    {
        var input = WriteInput("mixed.csv", MixedInput);
        var outputPath = Path.Combine(_dir.FullName, "out.csv");

        var (exitCode, stdout, stderr) = await CliRunner.Run("composition", "normalize", "--input", input, "--output", outputPath);

        Assert.Equal(0, exitCode);
        Assert.Empty(stdout);
        Assert.Equal(
        [
            "input,canonical,elements",
            "O3Fe2,Fe2O3,Fe:0.4;O:0.6",
            "FeXx2,,",
            "Ag(AuS)2,AgAu2S2,Ag:0.2;Au:0.4;S:0.4",
            "(Fe,,",
            "Fe0.5Ni0.5,FeNi,Fe:0.5;Ni:0.5",
        ], Lines(File.ReadAllText(outputPath)));

        var errors = Lines(stderr);
        Assert.Contains(errors, l => l.Contains("line 3") && l.Contains("Unknown element 'Xx' at position 3") && l.Contains("FeXx2"));
        Assert.Contains(errors, l => l.Contains("line 5") && l.Contains("never closed"));
        Assert.Contains(errors, l => l.Contains("5 rows, 3 parsed, 2 failed"));
        Assert.False(File.Exists(outputPath + ".tmp"));
    }

    [Fact]
    public async Task StrictModeFailsWhenAnyRowFails()
    {
        var input = WriteInput("mixed.csv", MixedInput);
        var (exitCode, stdout, _) = await CliRunner.Run("composition", "normalize", "--input", input, "--strict");
        Assert.Equal(CompositionNormalizeCommand.ExitRowsFailed, exitCode);
        Assert.Equal(6, Lines(stdout).Length); // the CSV still goes to standard output
    }

    [Fact]
    public async Task StrictModeSucceedsWhenEveryRowParses()
    {
        var input = WriteInput("good.csv", "Alloy,Phase\nAg0.05Zr0.95,bcc\nTa_Th,multi-phase\n");
        var (exitCode, stdout, stderr) = await CliRunner.Run("composition", "normalize", "-i", input, "--column", "Alloy", "--strict");
        Assert.Equal(0, exitCode);
        Assert.Equal(["input,canonical,elements", "Ag0.05Zr0.95,AgZr19,Ag:0.05;Zr:0.95", "Ta_Th,TaTh,Ta:0.5;Th:0.5"], Lines(stdout));
        Assert.Contains("2 rows, 2 parsed, 0 failed", stderr);
    }

    [Fact]
    public async Task LineNumbersCountLinesInsideQuotedFields()
    {
        var input = WriteInput("multiline.csv", "note,composition\n\"two\nlines\",Fe2O3\nplain,Qq\n");
        var (_, stdout, stderr) = await CliRunner.Run("composition", "normalize", "-i", input);
        Assert.Contains("line 4: Unknown element 'Qq'", stderr);
        Assert.Equal(3, Lines(stdout).Length);
    }

    [Fact]
    public async Task MissingColumnNamesTheColumnsThatExist()
    {
        var input = WriteInput("pei.csv", "Alloy,Phase\nAgZr,bcc\n");
        var outputPath = Path.Combine(_dir.FullName, "out.csv");
        var (exitCode, stdout, stderr) = await CliRunner.Run("composition", "normalize", "-i", input, "-o", outputPath);
        Assert.Equal(CompositionNormalizeCommand.ExitBadInput, exitCode);
        Assert.Contains("Column 'composition' not found", stderr);
        Assert.Contains("'Alloy', 'Phase'", stderr);
        Assert.Empty(stdout);
        Assert.False(File.Exists(outputPath));
    }

    [Fact]
    public async Task MissingFileIsReported()
    {
        var missing = Path.Combine(_dir.FullName, "nope.csv");
        var (exitCode, _, stderr) = await CliRunner.Run("composition", "normalize", "-i", missing, "--strict");
        Assert.Equal(CompositionNormalizeCommand.ExitBadInput, exitCode);
        Assert.Contains("nope.csv", stderr);
        Assert.Contains("does not exist", stderr);
    }

    [Fact]
    public async Task NormalizesASharedMatbenchSetStrictly()
    {
        var input = DarwinGrid.TestSupport.SharedData.PathOf("darwin", "matbench_expt_gap", "matbench_expt_gap.csv");
        var outputPath = Path.Combine(_dir.FullName, "gap.csv");
        var (exitCode, _, stderr) = await CliRunner.Run("composition", "normalize", "-i", input, "-o", outputPath, "--strict");
        Assert.Equal(0, exitCode);
        var inputRows = File.ReadLines(input).Count() - 1;
        var output = File.ReadAllLines(outputPath);
        Assert.Equal(inputRows + 1, output.Length);
        Assert.Contains($"{inputRows} rows, {inputRows} parsed, 0 failed", stderr);
        Assert.DoesNotContain(output.Skip(1), line => line.Split(',')[1].Length == 0);
    }

    [Fact]
    public async Task UnwritableOutputIsReported()
    {
        var input = WriteInput("good.csv", "composition\nFe2O3\n");
        var outputPath = Path.Combine(_dir.FullName, "no-such-folder", "out.csv");
        var (exitCode, _, stderr) = await CliRunner.Run("composition", "normalize", "-i", input, "-o", outputPath);
        Assert.Equal(CompositionNormalizeCommand.ExitBadInput, exitCode);
        Assert.Contains("no-such-folder", stderr);
    }

    [Fact]
    public async Task HelpDescribesTheOutputColumns()
    {
        var (exitCode, stdout, _) = await CliRunner.Run("composition", "normalize", "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("Symbol:fraction", stdout);
        Assert.Contains("--strict", stdout);
        Assert.Contains("--column", stdout);
    }
}
