using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Datasets;

/// <summary>Every catalog task loads from the real shared data.</summary>
public class CatalogLoadTests
{
    public static TheoryData<string> TaskNames() => new(TaskCatalog.All.Select(t => t.Name));

    [Theory]
    [MemberData(nameof(TaskNames))]
    public void TaskLoadsRecordsFromSharedData(string name)
    {
        var task = TaskCatalog.Get(name);
        var load = TaskDatasetLoader.Load(task, SharedData.Root);

        Assert.NotEmpty(load.Records);
        Assert.All(load.Records, r => Assert.False(string.IsNullOrWhiteSpace(r.Input) && task.Input != InputField.DonorAcceptorInInstruction));
        Assert.Equal(load.Records.Count, load.Records.Select(r => r.RowNumber).Distinct().Count());
        if (task.Kind == TaskKind.Regression)
            Assert.All(load.Records, r => Assert.True(double.IsFinite(r.Target.AsNumber())));
        else
        {
            // Every class of a classification task occurs in its data.
            var seen = load.Records.Select(r => r.Target.AsClassIndex()).Distinct().Order();
            Assert.Equal(Enumerable.Range(0, task.Classes.Count), seen);
        }
    }

    [Theory]
    [InlineData("matbench_expt_gap", 4138)]
    [InlineData("matbench_is_metal", 4429)]
    [InlineData("matbench_glass", 5112)]
    [InlineData("matbench_steels", 281)]
    [InlineData("pei_phase", 1252)]
    [InlineData("esol_log_solubility", 927)]
    [InlineData("chembl_lipophilicity", 1899)]
    [InlineData("water_stability", 169)]
    [InlineData("sii_mdp_pce", 400)]
    [InlineData("opv_pce", 344)]
    public void CompleteTablesLoadEveryRow(string name, int rows)
    {
        // Counts are the data lines of the files (wc -l minus the header) / JSON record counts.
        var load = TaskDatasetLoader.Load(TaskCatalog.Get(name), SharedData.Root);
        Assert.Empty(load.Skipped);
        Assert.Equal(rows, load.Records.Count);
    }

    [Fact]
    public void MatbenchExptGapFirstRowIsReadAsWritten()
    {
        var record = TaskDatasetLoader.Load(TaskCatalog.Get("matbench_expt_gap"), SharedData.Root).Records[0];
        Assert.Equal(new TaskRecord(1, "Ag(W3Br7)2", new TargetValue.Number(0)), record);
    }

    [Fact]
    public void PeiClassesMatchTheCsvCounts()
    {
        var task = TaskCatalog.Get("pei_phase");
        var counts = TaskDatasetLoader.Load(task, SharedData.Root).Records
            .GroupBy(r => r.Target.ToString()).ToDictionary(g => g.Key, g => g.Count());
        // From `cut -d, -f2 Pei.csv | sort | uniq -c`.
        Assert.Equal(627, counts["multi-phase"]);
        Assert.Equal(261, counts["bcc"]);
        Assert.Equal(218, counts["fcc"]);
        Assert.Equal(146, counts["hcp"]);
    }

    [Fact]
    public void ThermoelectricTasksKeepOnly300KRowsAsFilteredNotSkipped()
    {
        var load = TaskDatasetLoader.Load(TaskCatalog.Get("thermoelectric_zt_300k"), SharedData.Root);
        Assert.Equal(278, load.Records.Count);       // rows with temperature 300
        Assert.Equal(1028 - 278, load.FilteredOut);  // 400, 700 and 1000 K rows
        Assert.Empty(load.Skipped);
    }

    [Fact]
    public void MagneticDatabaseKeepsPolymorphsThatShareAFormula()
    {
        // MMD lists several AGA-searched structures per formula (Co4N nine times) with their own values.
        var records = TaskDatasetLoader.Load(TaskCatalog.Get("magnetic_moment"), SharedData.Root).Records;
        Assert.Equal(140, records.Count);
        var co4n = records.Where(r => r.Input == "Co4N").ToList();
        Assert.Equal(9, co4n.Count);
        Assert.True(co4n.Select(r => r.Target).Distinct().Count() > 1);
    }

    [Fact]
    public void DukeDBKeepsOneRowPerFormulaAndDropsConflictingOnes()
    {
        var load = TaskDatasetLoader.Load(TaskCatalog.Get("dukedb_dimensionality"), SharedData.Root);
        Assert.Equal(load.Records.Count, load.Records.Select(r => r.Input).Distinct().Count());
        Assert.Contains(load.Skipped, s => s.Reason.StartsWith("conflicting targets", StringComparison.Ordinal));
        Assert.Contains(load.Skipped, s => s.Reason.StartsWith("duplicate of row", StringComparison.Ordinal));
        Assert.Equal(1518, load.Records.Count + load.Skipped.Count);
    }

    [Fact]
    public void WaterStabilityRecordsCarryTheConfidence()
    {
        var records = TaskDatasetLoader.Load(TaskCatalog.Get("water_stability"), SharedData.Root).Records;
        Assert.All(records, r => Assert.Contains(r.Qualifier, new[] { "low", "medium", "high" }));
    }
}
