using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;

namespace DarwinGrid.Inference.Tests.Prediction;

/// <summary>How the views' answers become one when some of them failed (the engine's answers are written out here so each case is certain).</summary>
public sealed class ViewPoolingTests
{
    private static readonly PropertyTask BandGap = TaskCatalog.Get("matbench_expt_gap");

    private static readonly RequestCost Cost = new(10, 4, 6);

    /// <summary>A sampler's answer when 4 numbers were drawn and these finished (the rest were cut short): its covered mass is the finished share.</summary>
    private static EngineResult Drawn(params double[] values) =>
        new(" " + values[0], null, null, Cost, NumericDistribution.FromWeighted(values.Select(v => (v, 1.0)), coveredMass: values.Length / 4.0));

    private static EngineResult CutShort(string text) => new(text, null, null, Cost, Error: $"The number was cut short at 32 tokens: '{text}'.");

    [Fact]
    public void AFailedViewAddsNothingToThePoolOfTheOthersDraws()
    {
        // 4 + 2 finished draws of two views: six draws, each one sixth.
        var pooled = ViewPooling.Pool(BandGap, [CutShort(" 2.60896025870208"), Drawn(1, 2, 2, 3), Drawn(0, 2)]);

        Assert.Null(pooled.Error);
        Assert.Equal([0.0, 1, 2, 3], pooled.Distribution!.Values.ToArray());
        Assert.Equal([1 / 6.0, 1 / 6.0, 3 / 6.0, 1 / 6.0], pooled.Distribution.Probabilities.ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        Assert.Equal(2, pooled.Distribution.Median);
        Assert.Equal(6 / 8.0, pooled.Distribution.CoveredMass, 12);
        Assert.Equal(" 1", pooled.Text);
        Assert.Equal(new RequestCost(30, 12, 18), pooled.Cost);
    }

    [Fact]
    public void WhenEveryViewFailedTheFirstFailureStands()
    {
        var first = CutShort(" 1.1111111");

        var pooled = ViewPooling.Pool(BandGap, [first, CutShort(" 2.2222222")]);

        Assert.Equal(first.Error, pooled.Error);
        Assert.Equal(first.Text, pooled.Text);
        Assert.Null(pooled.Distribution);
        Assert.Equal(new RequestCost(20, 8, 12), pooled.Cost);
    }

    [Fact]
    public void GreedyViewsGiveTheirLowerMedianAndPoolTheirSampledSpreads()
    {
        EngineResult Greedy(string text, params string[] samples) => new(text, null, NumericSpread.Of(samples), Cost);

        var pooled = ViewPooling.Pool(BandGap, [Greedy(" 3.0", " 3", " 4"), Greedy(" 1.5", " 1"), CutShort(" 0.00000"), Greedy(" 2.25", " 2"), Greedy(" 0.5", " 5")]);

        // 0.5, 1.5, 2.25, 3.0: the lower of the middle two, a number one view said.
        Assert.Equal(" 1.5", pooled.Text);
        Assert.Equal(5, pooled.Spread!.ParsedCount);
        Assert.Equal(3.0, pooled.Spread.Mean, 12);
    }
}
