using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.TestSupport;
using FsCheck.Xunit;

namespace DarwinGrid.Domain.Tests.Datasets;

public class FoldTests
{
    private static void AssertPartition(IReadOnlyList<Fold> folds, int count)
    {
        var tested = folds.SelectMany(f => f.Test).ToList();
        Assert.Equal(Enumerable.Range(0, count), tested.Order());
        foreach (var fold in folds)
        {
            Assert.Equal(Enumerable.Range(0, count), fold.Train.Concat(fold.Test).Order());
            Assert.Empty(fold.Train.Intersect(fold.Test));
        }
        Assert.InRange(folds.Max(f => f.Test.Count) - folds.Min(f => f.Test.Count), 0, 1);
    }

    [Property]
    public bool KFold_tests_each_index_exactly_once(byte extra, byte foldsMinusTwo)
    {
        var k = foldsMinusTwo % 9 + 2;
        var count = k + extra;
        AssertPartition(KFold.Split(count, k), count);
        return true;
    }

    [Fact]
    public void KFoldSizesFollowScikitLearn()
    {
        // 4138 = 5 * 827 + 3: the first three folds get 828.
        Assert.Equal([828, 828, 828, 827, 827], KFold.Split(4138).Select(f => f.Test.Count));
    }

    [Fact]
    public void SplitsAreDeterministicShuffledAndSeedDependent()
    {
        var a = KFold.Split(100);
        Assert.Equal(a.Select(f => f.Test), KFold.Split(100).Select(f => f.Test));
        Assert.NotEqual(Enumerable.Range(0, 20), a[0].Test); // shuffled, not contiguous blocks
        Assert.NotEqual(a[0].Test, KFold.Split(100, seed: 1)[0].Test);
    }

    [Fact]
    public void DeterministicShuffleIsPinned()
    {
        // Pinned so fold membership never silently changes between versions; the expected order was
        // computed with an independent Python SplitMix64 + Lemire + Fisher-Yates, seed 18012019.
        var items = Enumerable.Range(0, 10).ToArray();
        new DeterministicShuffle(DeterministicShuffle.MatbenchSeed).Shuffle(items);
        Assert.Equal(PinnedShuffleOfTen, items);
    }

    private static readonly int[] PinnedShuffleOfTen = [9, 5, 4, 3, 2, 0, 1, 8, 6, 7];

    [Property]
    public bool Stratified_folds_keep_each_class_within_one(byte[] rawLabels)
    {
        var labels = rawLabels.Select(b => b % 4).ToArray();
        if (labels.Length < 5)
            return true;
        var folds = StratifiedKFold.Split(labels);
        AssertPartition(folds, labels.Length);
        foreach (var cls in labels.Distinct())
        {
            var perFold = folds.Select(f => f.Test.Count(i => labels[i] == cls)).ToArray();
            Assert.InRange(perFold.Max() - perFold.Min(), 0, 1);
        }
        return true;
    }

    [Fact]
    public void StratifiedFoldsOnMatbenchIsMetalKeepTheClassBalance()
    {
        var records = TaskDatasetLoader.Load(TaskCatalog.Get("matbench_is_metal"), SharedData.Root).Records;
        var labels = records.Select(r => r.Target.AsClassIndex()).ToArray();
        var folds = StratifiedKFold.Split(labels);
        AssertPartition(folds, labels.Length);
        // 2187 metals / 2242 non-metals over 5 folds: 437 or 438 metals, 448 or 449 non-metals each.
        Assert.All(folds, f => Assert.InRange(f.Test.Count(i => labels[i] == 1), 437, 438));
        Assert.All(folds, f => Assert.InRange(f.Test.Count(i => labels[i] == 0), 448, 449));
    }

    [Fact]
    public void TooFewRecordsOrFoldsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => KFold.Split(4, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => KFold.Split(10, 1));
        Assert.Throws<ArgumentException>(() => StratifiedKFold.Split([0, 1, 0], 5));
    }
}
