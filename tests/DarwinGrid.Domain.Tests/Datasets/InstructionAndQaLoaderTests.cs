using DarwinGrid.Domain.Datasets;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Datasets;

public sealed class InstructionAndQaLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("darwingrid-json-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void DarwinJsonIsReadByteForByte()
    {
        var records = InstructionJsonReader.Read(SharedData.PathOf("darwin", "matbench_is_metal", "matbench_is_metal.json"));
        Assert.Equal(4593, records.Count); // 4429 rows + 164 distractor nouns
        Assert.Equal(new InstructionRecord(0, "Is given composition metal? ->", " In5AgTe8\n", " No, In5AgTe8 is not metal.\n"), records[0]);
    }

    [Fact]
    public void MalformedInstructionJsonNamesTheRecord()
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, """[{"instruction": "a", "input": "b", "output": "c"}, {"instruction": "a", "input": "b"}]""");
        var error = Assert.Throws<InvalidDataException>(() => InstructionJsonReader.Read(path));
        Assert.Contains("record 1", error.Message);
        Assert.Contains("'output'", error.Message);
    }

    [Fact]
    public void SciQagTestSplitLoadsAllPairs()
    {
        var load = SciQagLoader.Load(SharedData.PathOf(SciQagLoader.TestSplit.Split('/')));
        Assert.Equal(8531, load.Records.Count + load.Skipped.Count);
        Assert.Empty(load.Skipped);
        Assert.Equal("What are the benefits of sol–gel thin film fabrication method?", load.Records[0].Question);
        Assert.StartsWith("Sol–gel thin film fabrication is a simple", load.Records[0].Answer);
    }

    [Fact]
    public void SciQagPairsWithAnEmptySideAreReported()
    {
        var path = Path.Combine(_dir, "qa.json");
        File.WriteAllText(path, """[{"Q": "Why?", "A": "Because."}, {"Q": "", "A": "x"}, {"Q": "Only a question"}]""");
        var load = SciQagLoader.Load(path);
        Assert.Single(load.Records);
        Assert.Equal([2, 3], load.Skipped.Select(s => s.RowNumber));
    }
}
