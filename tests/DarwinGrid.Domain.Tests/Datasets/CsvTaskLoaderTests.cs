using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Tests.Datasets;

/// <summary>Bad rows are reported with their row numbers, never silently dropped or turned into 0.</summary>
public sealed class CsvTaskLoaderTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("darwingrid-csv-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private PropertyTask TaskOver(string csv, TaskKind kind = TaskKind.Regression)
    {
        File.WriteAllText(Path.Combine(_root, "t.csv"), csv);
        var template = TaskCatalog.Get(kind == TaskKind.Regression ? "matbench_expt_gap" : "matbench_is_metal");
        return template with { Source = new CsvTaskSource("t.csv", "composition", "value") };
    }

    [Fact]
    public void EmptyAndUnparseableTargetsAreSkippedWithRowNumbers()
    {
        var task = TaskOver("composition,value\nNaCl,1.5\nKCl,\nLiF,abc\n,2\nMgO,-1.2e-3\nCaO,NaN\n");
        var load = TaskDatasetLoader.Load(task, _root);

        Assert.Equal([1, 5], load.Records.Select(r => r.RowNumber));
        Assert.Equal(-1.2e-3, load.Records[1].Target.AsNumber());
        Assert.Equal([2, 3, 4, 6], load.Skipped.Select(s => s.RowNumber));
        Assert.Contains("empty target", load.Skipped[0].Reason);
        Assert.Contains("'abc' is not a number", load.Skipped[1].Reason);
        Assert.Contains("empty input", load.Skipped[2].Reason);
        Assert.Contains("'NaN' is not a number", load.Skipped[3].Reason);
    }

    [Fact]
    public void UnknownClassValuesAreSkipped()
    {
        var task = TaskOver("composition,value\nCu,TRUE\nNaCl,false\nSi,maybe\n", TaskKind.Binary);
        var load = TaskDatasetLoader.Load(task, _root);
        Assert.Equal([1, 0], load.Records.Select(r => r.Target.AsClassIndex()));
        var skipped = Assert.Single(load.Skipped);
        Assert.Equal(3, skipped.RowNumber);
        Assert.Contains("'maybe'", skipped.Reason);
    }

    [Fact]
    public void MultiLineQuotedCellsCountAsOneRow()
    {
        var task = TaskOver("composition,value,note\nNaCl,1,\"two\nlines\"\nKCl,2,x\n");
        var load = TaskDatasetLoader.Load(task, _root);
        Assert.Equal([1, 2], load.Records.Select(r => r.RowNumber));
        Assert.Equal(2, load.Records[1].Target.AsNumber());
    }

    [Fact]
    public void MissingColumnNamesTheFileAndTheColumns()
    {
        var task = TaskOver("formula,value\nNaCl,1\n");
        var error = Assert.Throws<InvalidDataException>(() => TaskDatasetLoader.Load(task, _root));
        Assert.Contains("no column 'composition'", error.Message);
        Assert.Contains("'formula'", error.Message);
    }

    [Fact]
    public void MissingFileIsAClearError()
    {
        var task = TaskCatalog.Get("pei_phase");
        var error = Assert.Throws<FileNotFoundException>(() => TaskDatasetLoader.Load(task, _root));
        Assert.Contains("darwin/Pei/Pei.csv", error.Message);
    }
}
