using System.CommandLine;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Silo.Cli;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

public sealed class CandidatesCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("darwin-candidates");

    public void Dispose() => _dir.Delete(recursive: true);


    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    private static string C(string formula) => Composition.Parse(formula).CanonicalFormula;

    [Fact]
    public async Task GenerateStreamsNeutralCandidatesAsCsv()
    {
        var (exitCode, stdout, stderr) = await CliRunner.Run("candidates", "generate", "--data-dir", SharedData.Root,
            "--spec", "{A}2Ge{X}4; A=Li,Ba; X=S,Cl; neutral");
        Assert.Equal(0, exitCode);
        Assert.Equal(["composition", C("Li2GeCl4"), C("Ba2GeS4")], Lines(stdout));
        Assert.Contains("2 candidates (upper bound 4, raw space 4)", stderr);
    }

    [Fact]
    public async Task GenerateWritesTheDopingSeriesToAFileUpToTheLimit()
    {
        var path = Path.Combine(_dir.FullName, "doped.csv");
        var (exitCode, stdout, stderr) = await CliRunner.Run("candidates", "generate", "--spec", "Ba{1-x}Sr{x}TiO3; x=0..0.5:0.1", "--limit", "3", "-o", path);
        Assert.Equal(0, exitCode);
        Assert.Empty(stdout);
        Assert.Equal(["composition", C("BaTiO3"), C("Ba0.9Sr0.1TiO3"), C("Ba0.8Sr0.2TiO3")], File.ReadAllLines(path));
        Assert.Contains("3 candidates (upper bound 3, raw space 6)", stderr);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task CountPrintsTheUpperBoundAndTheExactCount()
    {
        var (exitCode, stdout, _) = await CliRunner.Run("candidates", "count", "--data-dir", SharedData.Root,
            "--spec", "{A}2{B}{X}4; A=Li,Na,Ba; B=Ge,Sn; X=S,Se; neutral");
        Assert.Equal(0, exitCode);
        // Only Ba2BX4 balances (2·2 + 4 − 8 = 0): 1 × 2 × 2 of the 3 × 2 × 2.
        Assert.Equal(["upper bound: 12", "candidates: 4"], Lines(stdout));
    }

    [Fact]
    public async Task CountCanStopAtTheUpperBound()
    {
        var (exitCode, stdout, _) = await CliRunner.Run("candidates", "count", "--upper-bound-only",
            "--spec", "{A}{B}{C}{X}3; A=lanthanides; B=transition-metals; C=alkali; X=chalcogens; neutral");
        Assert.Equal(0, exitCode);
        Assert.Equal(["upper bound: 13500"], Lines(stdout)); // 15 × 30 × 6 × 5
    }

    [Fact]
    public async Task InvalidSpecsAreReportedWithTheProblem()
    {
        var (exitCode, stdout, stderr) = await CliRunner.Run("candidates", "generate", "--spec", "{A}2{B}{X}4; A=alkalis; B=Ge; X=S");
        Assert.Equal(2, exitCode);
        Assert.Empty(stdout);
        Assert.Contains("Invalid spec", stderr);
        Assert.Contains("'alkalis' is neither an element symbol nor an element group", stderr);

        (exitCode, _, stderr) = await CliRunner.Run("candidates", "count", "--spec", "Ba{1-x}Sr{x}TiO3; x=0..2:0.5");
        Assert.Equal(2, exitCode);
        Assert.Contains("negative", stderr);
    }

    [Fact]
    public async Task NeutralityWithoutDataIsReported()
    {
        var (exitCode, _, stderr) = await CliRunner.Run("candidates", "count", "--data-dir", Path.Combine(_dir.FullName, "missing"),
            "--spec", "{A}O; A=Mg,Ca; neutral");
        Assert.Equal(2, exitCode);
        Assert.Contains("'neutral' needs the Magpie oxidation states", stderr);
    }

    [Fact]
    public async Task HelpExplainsTheSpecSyntax()
    {
        var (exitCode, stdout, _) = await CliRunner.Run("candidates", "generate", "--help");
        Assert.Equal(0, exitCode);
        Assert.Contains("--spec", stdout);
        Assert.Contains("chalcogens", stdout);
        Assert.Contains("'composition'", stdout);
    }
}
