using DarwinGrid.Domain.Metrics;

namespace DarwinGrid.Domain.Tests.Metrics;

public class ClassificationMetricsTests
{
    [Fact]
    public void AccuracyAndBalancedAccuracy()
    {
        // actual    = [1, 1, 1, 0]   predicted = [1, 0, 1, 0]
        // accuracy 3/4; recall(1) = 2/3, recall(0) = 1/1 -> balanced (2/3 + 1)/2 = 5/6
        int[] actual = [1, 1, 1, 0], predicted = [1, 0, 1, 0];
        Assert.Equal(0.75, ClassificationMetrics.Accuracy(actual, predicted));
        Assert.Equal(5.0 / 6, ClassificationMetrics.BalancedAccuracy(actual, predicted), 12);
    }

    [Fact]
    public void F1OfThePositiveClass()
    {
        // tp = 2 (0, 2), fp = 1 (3), fn = 1 (1): F1 = 2*2 / (2*2 + 1 + 1) = 4/6
        bool[] actual = [true, true, true, false, false], predicted = [true, false, true, true, false];
        Assert.Equal(4.0 / 6, ClassificationMetrics.F1(actual, predicted), 12);
    }

    [Fact]
    public void MacroF1AveragesPerClass()
    {
        // actual = [0, 0, 1, 2], predicted = [0, 1, 1, 2]
        // class 0: tp1 fn1 -> 2/3; class 1: tp1 fp1 -> 2/3; class 2: tp1 -> 1. Mean = (2/3 + 2/3 + 1)/3 = 7/9
        Assert.Equal(7.0 / 9, ClassificationMetrics.MacroF1([0, 0, 1, 2], [0, 1, 1, 2]), 12);
    }

    [Fact]
    public void RocAucWithoutTies()
    {
        // positives score 0.9, 0.4; negatives 0.5, 0.1. Pairs (pos > neg): (0.9,0.5) (0.9,0.1) (0.4,0.1) = 3 of 4.
        Assert.Equal(0.75, ClassificationMetrics.RocAuc([true, false, true, false], [0.9, 0.5, 0.4, 0.1]));
    }

    [Fact]
    public void RocAucCountsTiesAsHalf()
    {
        // positives 0.8, 0.5; negatives 0.5, 0.2.
        // (0.8,0.5)=1 (0.8,0.2)=1 (0.5,0.5)=1/2 (0.5,0.2)=1 -> 3.5/4.
        // Rank form: sorted 0.2(r1) 0.5,0.5(r2.5 each) 0.8(r4); positive rank sum 6.5 - 2*3/2 = 3.5.
        Assert.Equal(0.875, ClassificationMetrics.RocAuc([true, false, true, false], [0.8, 0.5, 0.5, 0.2]));
        // All scores equal: every pair a tie -> 0.5 (hard labels as scores would give this, not 1).
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([true, false, true], [1, 1, 1]));
    }

    [Fact]
    public void RocAucIsOneForPerfectAndZeroForInvertedScores()
    {
        Assert.Equal(1.0, ClassificationMetrics.RocAuc([false, false, true], [0.1, 0.2, 0.3]));
        Assert.Equal(0.0, ClassificationMetrics.RocAuc([false, false, true], [0.3, 0.2, 0.1]));
    }

    [Fact]
    public void BadInputIsRejectedWithClearErrors()
    {
        Assert.Contains("only positives", Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([true, true], [0.1, 0.2])).Message);
        Assert.Contains("only negatives", Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([false, false], [0.1, 0.2])).Message);
        Assert.Contains("2 actual values but 1", Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([true, false], [0.1])).Message);
        Assert.Contains("no values", Assert.Throws<ArgumentException>(() => ClassificationMetrics.Accuracy([], [])).Message);
        Assert.Contains("undefined", Assert.Throws<ArgumentException>(() => ClassificationMetrics.F1([false], [false])).Message);
        Assert.Contains("scores[0]", Assert.Throws<ArgumentException>(() => ClassificationMetrics.RocAuc([true, false], [double.NaN, 0])).Message);
    }
}
