using System.Text;
using DarwinGrid.Domain.LabResults;

namespace DarwinGrid.Domain.Tests.LabResults;

public class MeasuredResultsCsvTests
{
    private static MeasuredResultsUpload Read(string csv, Func<string, bool>? isCandidate = null) =>
        MeasuredResultsCsv.Read(Encoding.UTF8.GetBytes(csv), isCandidate);

    [Fact]
    public void GoodRowsAreReadWithCanonicalCompositionsCatalogTasksAndAHash()
    {
        var upload = Read("composition,task,value,conditions,notes\nO3Fe2,band_gap,2.1,300 K,batch 7\nGaAs,is_metal,no,,\nGaAs,band_gap,1.42,,\n");
        Assert.True(upload.Accepted);
        Assert.Equal(3, upload.Rows.Count);
        var first = upload.Rows[0];
        Assert.Equal((2L, "O3Fe2", "Fe2O3", "matbench_expt_gap", 2.1, "300 K", "batch 7"),
            (first.Line, first.Input, first.Composition, first.Task, first.Value!.Value, first.Conditions, first.Notes));
        Assert.Equal(("false", (double?)null, (string?)null), (upload.Rows[1].Label, upload.Rows[1].Value, upload.Rows[1].Conditions));
        Assert.Equal(64, upload.Sha256.Length);
        Assert.NotEqual(upload.Sha256, Read("composition,task,value\nGaAs,band_gap,1.43\n").Sha256);
    }

    [Fact]
    public void EveryBadRowIsNamedAndNothingIsAccepted()
    {
        var upload = Read(string.Join('\n',
            "composition,task,value",
            "GaAs,band_gap,1.42",        // 2 fine
            "Xx2O,band_gap,1",           // 3 unknown element
            "GaAs,band_gapp,1",          // 4 unknown task
            "NaCl,band_gap,wide",        // 5 not a number
            "NaCl,is_metal,maybe",       // 6 not a class
            "AsGa,band_gap,1.40",        // 7 duplicate of line 2 (same canonical composition)
            ",band_gap,1",               // 8 empty composition
            "KCl,band_gap,NaN"));        // 9 not finite
        Assert.False(upload.Accepted);
        Assert.Empty(upload.Rows);
        Assert.Equal([3L, 4, 5, 6, 7, 8, 9], upload.Errors.Select(e => e.Line));
        Assert.Contains("Xx", upload.Errors[0].Problem);
        Assert.Contains("unknown task 'band_gapp'", upload.Errors[1].Problem);
        Assert.Contains("'wide' is not a number", upload.Errors[2].Problem);
        Assert.Contains("none of the classes", upload.Errors[3].Problem);
        Assert.Contains("already given on line 2", upload.Errors[4].Problem);
    }

    [Fact]
    public void TheSameCompositionUnderOtherConditionsIsNotADuplicate()
    {
        var upload = Read("composition,task,value,conditions\nGaAs,band_gap,1.42,300 K\nGaAs,band_gap,1.52,4 K\n");
        Assert.True(upload.Accepted);
        Assert.Equal(2, upload.Rows.Count);
    }

    [Fact]
    public void CompositionsThatAreNotCandidatesOfTheCampaignAreRefused()
    {
        var upload = Read("composition,task,value\nGaAs,band_gap,1.42\nInP,band_gap,1.34\n", formula => formula == "AsGa"); // Hill order
        Assert.Equal("line 3: 'InP' is not a candidate of this campaign", Assert.Single(upload.Errors).ToString());
    }

    [Theory]
    [InlineData("", "no header")]
    [InlineData("composition,value\nGaAs,1\n", "Missing column(s) 'task'")]
    [InlineData("composition,task,value\n", "no rows")]
    public void FilesWithoutTheColumnsOrRowsAreRefused(string csv, string expected) =>
        Assert.Contains(expected, Assert.Single(Read(csv).Errors).Problem);

    [Fact]
    public void OversizedAndNonUtf8FilesAreRefusedWhole()
    {
        Assert.Contains("bytes", Assert.Single(MeasuredResultsCsv.Read(new byte[MeasuredResultsCsv.MaxBytes + 1]).Errors).Problem);
        Assert.Contains("not UTF-8", Assert.Single(MeasuredResultsCsv.Read([0x63, 0xFF, 0xFE, 0x0A]).Errors).Problem);
    }
}
