using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Prediction;

/// <summary>The predictor's estimates: median (default) and mean from the distribution search, greedy without one.</summary>
public sealed class NumericEstimateTests(BuiltInModelFile model) : IClassFixture<BuiltInModelFile>
{
    private static readonly string[] Compositions = ["Ag2BBr", "NaCl", "GaAs", "Fe2O3", "SiC", "ZnO"];

    [Fact]
    public async Task MedianIsTheDefaultAndComesWithTheDistributionAndItsCentralInterval()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var predictor = new PropertyPredictor(engine);
        var task = TaskCatalog.Get("matbench_expt_gap");

        var predictions = await predictor.PredictManyAsync(task, Compositions);

        Assert.Contains(predictions, p => p.Succeeded);
        foreach (var p in predictions.Where(p => p.Succeeded))
        {
            var distribution = Assert.IsType<NumericDistribution>(p.Distribution);
            Assert.Equal(distribution.Median, p.Value);
            Assert.Equal(distribution.CentralInterval(0.9), (p.Low!.Value, p.High!.Value));
            Assert.InRange(p.Value!.Value, p.Low.Value, p.High.Value);
            Assert.InRange(distribution.CoveredMass, 1e-9, 1.0);
            // The raw answer is the most probable number the search finished.
            Assert.True(NumberScannerAccepts(p.RawAnswer), p.RawAnswer);
        }
    }

    [Fact]
    public async Task PerCallEstimatesOverrideTheOptions()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var predictor = new PropertyPredictor(engine, new PredictionOptions { Estimate = NumericEstimate.Greedy });
        var task = TaskCatalog.Get("matbench_expt_gap");

        var mean = await predictor.PredictManyAsync(task, Compositions, NumericEstimate.Mean);
        var greedy = await predictor.PredictManyAsync(task, Compositions);
        var median = await predictor.PredictAsync(task, Compositions[0], NumericEstimate.Median);

        foreach (var p in mean.Where(p => p.Succeeded)) Assert.Equal(p.Distribution!.Mean, p.Value);
        foreach (var p in greedy.Where(p => p.Succeeded))
        {
            Assert.Null(p.Distribution);
            Assert.Equal(task.Answer.Parse(p.RawAnswer).Value!.AsNumber(), p.Value);
        }
        if (median.Succeeded) Assert.Equal(median.Distribution!.Median, median.Value);
    }

    [Fact]
    public void AnUnknownEstimateIsRefusedNamingTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => NumericEstimates.Parse("mode"));
        Assert.Contains("median|mean|greedy", error.Message);
        Assert.Contains("'mode'", error.Message);
        var options = Assert.Throws<ArgumentException>(() => new PredictionOptions { Estimate = (NumericEstimate)7 }.Validated());
        Assert.Contains("median|mean|greedy", options.Message);
    }

    private static bool NumberScannerAccepts(string text) => DarwinGrid.Inference.Decoding.NumberScanner.IsCompleteNumber(text);
}
