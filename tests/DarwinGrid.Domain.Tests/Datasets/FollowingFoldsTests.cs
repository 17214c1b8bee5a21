using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Datasets;

/// <summary>
/// matbench_is_metal's folds follow matbench_expt_gap's: a composition both tasks hold is tested in
/// the same fold of each, so a multi-task model never drops one task's training records because the
/// other task tests them. The anchor's own folds are the protocol's, unchanged.
/// </summary>
public class FollowingFoldsTests
{
    private static readonly PropertyTask Gap = TaskCatalog.Get("matbench_expt_gap");
    private static readonly PropertyTask Metal = TaskCatalog.Get("matbench_is_metal");

    private static Dictionary<string, int> FoldOf(IReadOnlyList<TaskRecord> records, IReadOnlyList<Fold> folds) =>
        folds.SelectMany(f => f.Test.Select(i => (records[i].Input.Trim(), f.Index))).ToDictionary(p => p.Item1, p => p.Index, StringComparer.Ordinal);

    [Fact]
    public void SharedCompositionsAreTestedInTheSameFoldOfBothTasks()
    {
        var gap = TaskDatasetLoader.Load(Gap, SharedData.Root).Records;
        var metal = TaskDatasetLoader.Load(Metal, SharedData.Root).Records;
        var gapFolds = TaskFolds.Split(Gap, gap, SharedData.Root);
        var metalFolds = TaskFolds.Split(Metal, metal, SharedData.Root);

        // The anchor keeps the protocol's own split.
        Assert.Equal(KFold.Split(gap.Count).Select(f => f.Test), gapFolds.Select(f => f.Test));

        var gapFold = FoldOf(gap, gapFolds);
        var metalFold = FoldOf(metal, metalFolds);
        var shared = gapFold.Keys.Where(metalFold.ContainsKey).ToArray();
        Assert.True(shared.Length > 4000);
        Assert.All(shared, c => Assert.Equal(gapFold[c], metalFold[c]));

        // Every record tested once; the extra metal records spread so the folds stay within a few records of each other.
        Assert.Equal(Enumerable.Range(0, metal.Count), metalFolds.SelectMany(f => f.Test).Order());
        Assert.InRange(metalFolds.Max(f => f.Test.Count) - metalFolds.Min(f => f.Test.Count), 0, 5);
        // Still close to stratified: each fold's share of metals within 3 points of the whole set's.
        var metalShare = metal.Average(r => (double)r.Target.AsClassIndex());
        Assert.All(metalFolds, f => Assert.InRange(f.Test.Average(i => (double)metal[i].Target.AsClassIndex()), metalShare - 0.03, metalShare + 0.03));
    }

    [Fact]
    public void ATaskWithoutAnAnchorIsSplitByTheProtocol()
    {
        var steels = TaskCatalog.Get("matbench_steels");
        var records = TaskDatasetLoader.Load(steels, SharedData.Root).Records;
        Assert.Null(steels.FoldsFollow);
        Assert.Equal(KFold.Split(records.Count).Select(f => f.Test), TaskFolds.Split(steels, records, SharedData.Root).Select(f => f.Test));
    }
}
