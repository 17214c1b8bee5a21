using DarwinGrid.Domain.Metrics;

namespace DarwinGrid.Domain.Tests.Metrics;

public class RegressionMetricsTests
{
    // actual    = [1, 2, 3, 4]
    // predicted = [1.5, 2, 2, 5]
    // residuals = [0.5, 0, -1, 1]
    private static readonly double[] Actual = [1, 2, 3, 4];
    private static readonly double[] Predicted = [1.5, 2, 2, 5];

    [Fact]
    public void Mae() => Assert.Equal(2.5 / 4, RegressionMetrics.MeanAbsoluteError(Actual, Predicted), 12); // (0.5+0+1+1)/4

    [Fact]
    public void Rmse() => Assert.Equal(Math.Sqrt(2.25 / 4), RegressionMetrics.RootMeanSquaredError(Actual, Predicted), 12); // sqrt((0.25+0+1+1)/4)

    [Fact]
    public void R2() => Assert.Equal(1 - 2.25 / 5.0, RegressionMetrics.R2(Actual, Predicted), 12); // mean 2.5, SS_tot = 2.25+0.25+0.25+2.25 = 5

    [Fact]
    public void Mape() => Assert.Equal((0.5 + 0 + 1.0 / 3 + 0.25) / 4, RegressionMetrics.MeanAbsolutePercentageError(Actual, Predicted), 12); // 0.5/1, 0/2, 1/3, 1/4

    [Fact]
    public void MaxError() => Assert.Equal(1.0, RegressionMetrics.MaxError(Actual, Predicted));

    [Fact]
    public void PerfectPredictionsScorePerfectly()
    {
        Assert.Equal(0, RegressionMetrics.MeanAbsoluteError(Actual, Actual));
        Assert.Equal(1, RegressionMetrics.R2(Actual, Actual));
    }

    [Fact]
    public void BadInputIsRejectedWithClearErrors()
    {
        Assert.Contains("4 actual values but 3 predictions", Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanAbsoluteError(Actual, [1, 2, 3])).Message);
        Assert.Contains("no values", Assert.Throws<ArgumentException>(() => RegressionMetrics.RootMeanSquaredError([], [])).Message);
        Assert.Contains("zero", Assert.Throws<ArgumentException>(() => RegressionMetrics.MeanAbsolutePercentageError([0, 1], [1, 1])).Message);
        Assert.Contains("undefined", Assert.Throws<ArgumentException>(() => RegressionMetrics.R2([2, 2], [1, 3])).Message);
        Assert.Contains("predicted[1]", Assert.Throws<ArgumentException>(() => RegressionMetrics.MaxError([1, 2], [1, double.NaN])).Message);
    }
}
