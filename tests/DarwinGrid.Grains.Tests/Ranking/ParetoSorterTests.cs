using DarwinGrid.Grains.Ranking;

namespace DarwinGrid.Grains.Tests.Ranking;

public sealed class ParetoSorterTests
{
    [Fact]
    public void TwoObjectivesWithADominatedPointAndATie()
    {
        // Both maximised. A, B, C trade off; E equals B; D is dominated by B; F is dominated by D.
        double[][] points = [[3, 1], [2, 2], [1, 3], [1, 1], [2, 2], [0, 0]];
        Assert.Equal([0, 0, 0, 1, 0, 2], ParetoSorter.Ranks(points));
    }

    [Fact]
    public void EqualInOneCoordinateAndBetterInTheOtherDominates()
    {
        // (2,1) is beaten by (2,2) (same x, higher y) and by (3,1) (higher x, same y).
        double[][] points = [[2, 1], [2, 2], [3, 1], [3, 2]];
        Assert.Equal([2, 1, 1, 0], ParetoSorter.Ranks(points));
    }

    [Fact]
    public void ThreeObjectives()
    {
        double[][] points = [[1, 2, 3], [3, 2, 1], [1, 1, 1], [2, 2, 2], [0, 2, 3], [1, 2, 3]];
        // [1,1,1] is dominated by [2,2,2] which is dominated by nothing; [0,2,3] by [1,2,3].
        Assert.Equal([0, 0, 1, 0, 1, 0], ParetoSorter.Ranks(points));
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    public void RanksAgreeWithTheDefinitionOnRandomPoints(int dimensions, int seed)
    {
        var random = new Random(seed);
        var points = Enumerable.Range(0, 300)
            .Select(_ => Enumerable.Range(0, dimensions).Select(_ => (double)random.Next(8)).ToArray()).ToArray();
        var ranks = ParetoSorter.Ranks(points);

        // Definition: rank 0 = not dominated by anything; rank k = not dominated by anything of rank ≥ k,
        // and dominated by something of rank k − 1.
        for (var p = 0; p < points.Length; p++)
        {
            var dominators = Enumerable.Range(0, points.Length).Where(q => ParetoSorter.Dominates(points[q], points[p])).ToList();
            Assert.All(dominators, q => Assert.True(ranks[q] < ranks[p], $"point {p} (rank {ranks[p]}) is dominated by {q} (rank {ranks[q]})"));
            if (ranks[p] > 0)
                Assert.Contains(dominators, q => ranks[q] == ranks[p] - 1);
            else
                Assert.Empty(dominators);
        }
        Assert.True(ranks.Max() > 1, "random data should have several fronts");
    }

    [Fact]
    public void RejectsRaggedAndNaNPoints()
    {
        Assert.Throws<ArgumentException>(() => ParetoSorter.Ranks([[1.0, 2.0], [1.0]]));
        Assert.Throws<ArgumentException>(() => ParetoSorter.Ranks([[1.0, double.NaN]]));
        Assert.Empty(ParetoSorter.Ranks([]));
    }
}
