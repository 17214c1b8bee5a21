using DarwinGrid.Silo.Benchmarks;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Cli.Tests;

public sealed class BenchAllCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-bench-all-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Slow like the small engine run in BenchEngineCommandTests: it starts llama.cpp twice and a silo (~1.5 min on a loaded machine).
    [Fact]
    [Trait("Category", TestCategories.Slow)]
    public async Task QuickRunReplacesOnlyTheGeneratedSectionAndPrintsTheSame()
    {
        var doc = Path.Combine(_dir, "benchmarks.md");
        var handWritten = "# Benchmarks\n\nHand-written analysis that must survive.\n\n";
        File.WriteAllText(doc, handWritten + BenchmarkDocument.Begin + "\nold figures\n" + BenchmarkDocument.End + "\n\n## Later notes\n\nAlso kept.\n");

        var (code, output, error) = await CliRunner.Run("bench", "all", "--quick", "--doc", doc, "--data-dir", SharedData.Root);
        Assert.True(code == 0, error + output);

        var text = File.ReadAllText(doc);
        Assert.StartsWith(handWritten, text);
        Assert.EndsWith("## Later notes\n\nAlso kept.\n", text);
        Assert.DoesNotContain("old figures", text);
        Assert.Single(text.Split(BenchmarkDocument.Begin)[1..]);
        Assert.Contains("Quick configuration (`--quick`)", text);
        Assert.Matches($@"Machine: {Environment.ProcessorCount} cores \(.+\), \d+\.\d GiB RAM, .+; \d{{4}}-\d\d-\d\d \d\d:\d\d UTC\.", text);
        Assert.Matches(@"Load average \(1, 5, 15 min\): [\d.]+ [\d.]+ [\d.]+ at the start, [\d.]+ [\d.]+ [\d.]+ at the end\.", text);
        foreach (var (title, command, figure) in new[]
                 {
                     ("Engine", "darwin bench engine --n 16", @"engine/naive=\d+\.\d\d engine/ceiling=\d+\.\d\d"),
                     ("Training", "darwin bench train --preset tiny", @"training tokens/s \(all weights, fwd\+bwd\+AdamW\): median \d+"),
                     ("Grain path", "darwin bench screen --n 16", @"grain/engine = \d+\.\d\d"),
                 })
        {
            var section = text[text.IndexOf($"### {title}", StringComparison.Ordinal)..];
            Assert.StartsWith($"### {title}\n\n`{command}", section);
            Assert.Matches(figure, section);
            Assert.Matches(figure, output);
        }
        Assert.Contains($"Wrote the generated section of {doc}", output);
    }

    [Fact]
    public void ADocumentWithoutTheSectionGetsItAppendedAndDamagedMarkersAreRefused()
    {
        var section = BenchmarkDocument.Begin + "\nnew\n" + BenchmarkDocument.End + "\n";
        Assert.Equal("# B\n\ntext" + Environment.NewLine + Environment.NewLine + section, BenchmarkDocument.Splice("# B\n\ntext\n", section));
        Assert.Equal("# B\n" + section, BenchmarkDocument.Splice("# B\n" + BenchmarkDocument.Begin + "\nold\n" + BenchmarkDocument.End + "\n", section));
        Assert.Throws<InvalidDataException>(() => BenchmarkDocument.Splice("# B\n" + BenchmarkDocument.Begin + "\nold\n", section));
        Assert.Throws<InvalidDataException>(() => BenchmarkDocument.Splice(BenchmarkDocument.End + "\n" + BenchmarkDocument.Begin, section));
    }

    [Fact]
    public async Task AMissingDocumentFolderIsRefused()
    {
        var (code, _, error) = await CliRunner.Run("bench", "all", "--quick", "--doc", Path.Combine(_dir, "no", "such", "benchmarks.md"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", error);
    }
}
