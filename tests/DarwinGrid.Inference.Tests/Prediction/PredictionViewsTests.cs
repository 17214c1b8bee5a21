using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Inference.Tests.Support;

namespace DarwinGrid.Inference.Tests.Prediction;

/// <summary>
/// Test-time views (issue 15): a candidate asked several ways, answers pooled, checked against the
/// views' requests evaluated one by one through the same engine. llama.cpp's sums differ in the last
/// bits with what else is in a batch (a sample can then follow another path), so exact comparisons
/// keep the batches alike and the rest compare what batching cannot change.
/// </summary>
public sealed class PredictionViewsTests(BuiltInModelFile model) : IClassFixture<BuiltInModelFile>
{
    private static readonly string[] Compositions = ["Ag2BBr", "Fe2O3", "GaAs", "CsPbI3"];

    private static readonly PropertyTask BandGap = TaskCatalog.Get("matbench_expt_gap");

    [Fact]
    public async Task OneViewAsksTodaysSingleRequestAndTakesItsAnswerAsItIs()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var options = new PredictionOptions { Views = 1, Estimate = NumericEstimate.Greedy };
        var builder = new PredictionRequestBuilder(options);
        var predictor = new PropertyPredictor(engine, options);

        foreach (var input in Compositions)
        {
            var request = Assert.Single(builder.BuildViews(BandGap, input, NumericEstimate.Median));
            Assert.Equal(builder.Build(BandGap, input, NumericEstimate.Median), request);
            var alone = await engine.EvaluateAsync(request);
            Assert.Same(alone, ViewPooling.Pool(BandGap, [alone]));

            // Greedy answers do not depend on the last bits of llama.cpp's sums, so the predictor's must be the single request's.
            var greedy = await engine.EvaluateAsync(builder.Build(BandGap, input));
            var prediction = await predictor.PredictAsync(BandGap, input);
            Assert.Equal(greedy.Text, prediction.RawAnswer);
            Assert.Equal(BandGap.Answer.Parse(greedy.Text).Value?.AsNumber(), prediction.Value);
        }
    }

    [Fact]
    public async Task FourViewsPoolFourTimesTheSamplesAndGiveTheSameAnswersEveryTime()
    {
        var options = new PredictionOptions { Views = 4 };
        var answers = options.Sampling.Answers;
        IReadOnlyList<PropertyPrediction>[] runs = new IReadOnlyList<PropertyPrediction>[2];
        for (var run = 0; run < runs.Length; run++)
        {
            await using var engine = InferenceEngine.Start(model.ExactOptions().WithPrefixesForViews(4));
            runs[run] = await new PropertyPredictor(engine, options).PredictManyAsync(BandGap, Compositions);
        }

        var mostDraws = 0;
        foreach (var prediction in runs[0].Where(p => p.Succeeded))
        {
            // Each value's share of the pool is a whole number of the views' draws (4 x 17 when no draw was cut short).
            var pooled = prediction.Distribution!;
            var draws = pooled.CoveredMass * 4 * answers;
            Assert.Equal(Math.Round(draws), draws, 6);
            foreach (var p in pooled.Probabilities) Assert.Equal(Math.Round(p * draws), p * draws, 6);
            mostDraws = Math.Max(mostDraws, (int)Math.Round(draws));
            Assert.Equal(pooled.Median, prediction.Value);
            Assert.Equal(pooled.CentralInterval(options.IntervalLevel), (prediction.Low!.Value, prediction.High!.Value));
        }
        Assert.InRange(mostDraws, 3 * answers + 1, 4 * answers);
        Assert.Equal(runs[0].Select(p => (p.Value, p.Low, p.High, p.RawAnswer, p.Error)), runs[1].Select(p => (p.Value, p.Low, p.High, p.RawAnswer, p.Error)));
        Assert.Equal(runs[0].Select(p => p.Distribution?.Probabilities.ToArray()), runs[1].Select(p => p.Distribution?.Probabilities.ToArray()));
    }

    [Fact]
    public async Task ThePoolWeighsEveryViewsValuesByTheirDraws()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions().WithPrefixesForViews(4));
        var options = new PredictionOptions { Views = 4 };
        var answers = options.Sampling.Answers;
        var views = new List<EngineResult>();
        foreach (var request in new PredictionRequestBuilder(options).BuildViews(BandGap, "Fe2O3", NumericEstimate.Median))
            views.Add(await engine.EvaluateAsync(request));
        var answered = views.Where(r => r.Error is null && r.Distribution is not null).ToArray();
        Assert.NotEmpty(answered);

        var pooled = ViewPooling.Pool(BandGap, views).Distribution!;

        var expected = answered.SelectMany(r => r.Distribution!.Values.Zip(r.Distribution.Probabilities, (v, p) => (v, Draws: p * r.Distribution.CoveredMass * answers)))
            .GroupBy(x => x.v).ToDictionary(g => g.Key, g => g.Sum(x => x.Draws));
        Assert.Equal(expected.Keys.Order(), pooled.Values);
        var draws = answered.Sum(r => r.Distribution!.CoveredMass * answers);
        for (var i = 0; i < pooled.Count; i++) Assert.Equal(expected[pooled.Values[i]], pooled.Probabilities[i] * draws, 9);
        Assert.Equal(draws / answered.Length / answers, pooled.CoveredMass, 12);
        Assert.Equal(views.Sum(v => v.Cost.GeneratedTokens), ViewPooling.Pool(BandGap, views).Cost.GeneratedTokens);
    }

    [Fact]
    public void ViewsRotateTheInstructionAndRespellTheFormulaTheSameWayEveryTime()
    {
        var builder = new PredictionRequestBuilder(new PredictionOptions { Views = 4, InstructionIndex = 1 });
        var count = BandGap.Instructions.Count;
        var respelled = 0;
        foreach (var input in Compositions)
        {
            var requests = builder.BuildViews(BandGap, input, NumericEstimate.Median);
            Assert.Equal(requests, builder.BuildViews(BandGap, input, NumericEstimate.Median));
            Assert.Equal(builder.Build(BandGap, input), requests[0]);
            var original = CompositionParser.Parse(input).CanonicalFormula;
            for (var v = 0; v < 4; v++)
            {
                var view = PredictionRequestBuilder.View(BandGap, input, v, 1);
                Assert.Equal((1 + v) % count, view.InstructionIndex);
                Assert.Equal(original, CompositionParser.Parse(view.Input).CanonicalFormula);
                Assert.Contains(BandGap.Instructions[view.InstructionIndex], requests[v].Prompt);
                Assert.Contains(view.Input, requests[v].Suffix);
                if (view.Input != input) respelled++;
            }
            Assert.Equal(input, PredictionRequestBuilder.View(BandGap, input, 0, 1).Input);
        }
        Assert.True(respelled >= Compositions.Length, $"only {respelled} of {3 * Compositions.Length} later views were respelled");

        // An input that is not a composition keeps its text; only the instruction turns.
        var smiles = TaskCatalog.All.First(t => !FormulaRespelling.Applies(t) && t.Instructions.Count > 1);
        Assert.Equal("CCO", PredictionRequestBuilder.View(smiles, "CCO", 1, 0).Input);
        Assert.Equal(1, PredictionRequestBuilder.View(smiles, "CCO", 1, 0).InstructionIndex);
    }

    [Fact]
    public async Task ClassificationAveragesTheViewsLabelProbabilities()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions().WithPrefixesForViews(3));
        var options = new PredictionOptions { Views = 3 };
        var builder = new PredictionRequestBuilder(options);
        var task = TaskCatalog.Get("matbench_is_metal");

        var predictions = await new PropertyPredictor(engine, options).PredictManyAsync(task, Compositions);

        foreach (var (prediction, input) in predictions.Zip(Compositions))
        {
            Assert.True(prediction.Succeeded, prediction.Error);
            var alone = new List<EngineResult>();
            foreach (var view in builder.BuildViews(task, input, NumericEstimate.Median)) alone.Add(await engine.EvaluateAsync(view));
            for (var c = 0; c < task.Classes.Count; c++)
                Assert.Equal(alone.Average(r => r.Labels![c].Probability), prediction.LabelProbabilities![task.Classes[c].Name], 5);
            Assert.Equal(prediction.LabelProbabilities![task.Classes[1].Name], prediction.Probability!.Value, 12);
        }
    }

    [Fact]
    public async Task GreedyIsTheMedianOfTheViewsGreedyAnswers()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions().WithPrefixesForViews(3));
        var options = new PredictionOptions { Views = 3, Estimate = NumericEstimate.Greedy };
        var builder = new PredictionRequestBuilder(options);

        var predictions = await new PropertyPredictor(engine, options).PredictManyAsync(BandGap, Compositions);

        foreach (var (prediction, input) in predictions.Zip(Compositions))
        {
            var values = new List<double>();
            foreach (var view in builder.BuildViews(BandGap, input, NumericEstimate.Greedy))
                if (await engine.EvaluateAsync(view) is { Error: null } result && BandGap.Answer.Parse(result.Text) is { Succeeded: true } parsed)
                    values.Add(parsed.Value!.AsNumber());
            if (values.Count == 0)
            {
                Assert.False(prediction.Succeeded);
                continue;
            }
            values.Sort();
            Assert.Equal(values[(values.Count - 1) / 2], prediction.Value);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(17)]
    public void AViewCountOutsideOneToSixteenIsRefused(int views)
    {
        var error = Assert.Throws<ArgumentException>(() => new PredictionOptions { Views = views }.Validated());
        Assert.Equal($"Views must be between 1 and 16 (got {views}).", error.Message);
    }
}
