using DarwinGrid.Domain.Compositions;
using DarwinGrid.Web.Campaigns;
using DarwinGrid.Web.UiTests.Support;

namespace DarwinGrid.Web.UiTests.ViewModels;

public sealed class CandidateRowsTests
{
    [Fact]
    public void CsvRowsAreCheckedOneByOneAndBadOnesKeepTheirLine()
    {
        var good = Candidates.Create(60);
        var csv = Candidates.Csv(good, ["Xx2O3", "Fe((O", ""]);

        var check = CandidateRows.FromCsv(csv, "composition");

        Assert.Equal(good.AsEnumerable(), check.Valid.AsEnumerable());
        Assert.Equal(3, check.BadCount);
        // Header on line 1, a bad row after every 25 good ones: good #25 is on line 26, the first bad row on 27.
        Assert.Equal([27L, 53L, 64L], check.Bad.Select(b => b.Line));
        Assert.Equal("Xx2O3", check.Bad[0].Input);
        Assert.Contains("Xx", check.Bad[0].Reason);
    }

    [Fact]
    public void TheCompositionColumnIsGuessedAndAMissingOneIsNamed()
    {
        Assert.Equal("composition", CandidateRows.GuessColumn(["id", "composition", "note"]));
        Assert.Equal("Formula", CandidateRows.GuessColumn(["id", "Formula"]));
        Assert.Equal("id", CandidateRows.GuessColumn(["id", "note"]));

        var error = Assert.Throws<CsvColumnNotFoundException>(() => CandidateRows.FromCsv("id,formula\n1,Fe2O3\n", "composition"));
        Assert.Contains("'formula'", error.Message);
    }

    [Fact]
    public void PastedLinesSkipBlanksAndComments()
    {
        var check = CandidateRows.FromLines("# my list\nFe2O3\n\n  TiO2  \r\nQq\n");

        Assert.Equal(["Fe2O3", "TiO2"], check.Valid.ToArray());
        Assert.Equal(5, Assert.Single(check.Bad).Line);
    }
}
