using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Inference.Tests.Support;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Inference.Tests.Prediction;

public sealed class PropertyPredictorTests(BuiltInModelFile model) : IClassFixture<BuiltInModelFile>
{
    private static readonly string[] Compositions = LoadCompositions(24);

    [Fact]
    public async Task RegressionAnswersAreParsedNumbersOrReportedFailuresNeverZeroByDefault()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var predictor = new PropertyPredictor(engine, new PredictionOptions { Estimate = NumericEstimate.Greedy });
        var task = TaskCatalog.Get("matbench_expt_gap");

        var predictions = await predictor.PredictManyAsync(task, Compositions);

        Assert.Equal(Compositions.Length, predictions.Count);
        foreach (var (prediction, input) in predictions.Zip(Compositions))
        {
            Assert.Equal(input, prediction.Input);
            var reparsed = task.Answer.Parse(prediction.RawAnswer);
            if (prediction.Succeeded)
            {
                Assert.NotNull(prediction.Value);
                Assert.Equal(reparsed.Value!.AsNumber(), prediction.Value);
            }
            else
            {
                Assert.Null(prediction.Value);
                Assert.False(reparsed.Succeeded);
                Assert.Equal(reparsed.Error, prediction.Error);
            }
            // Constrained decoding: whatever the random model prefers, the text stays number-like.
            Assert.Matches(@"^ ?[-+0-9.eE]*\n?$", prediction.RawAnswer);
        }
    }

    [Fact]
    public async Task BinaryClassificationGivesTheProbabilityOfThePositiveClass()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var predictor = new PropertyPredictor(engine);
        var task = TaskCatalog.Get("matbench_is_metal");
        var positive = task.Classes[1].Name;

        foreach (var prediction in await predictor.PredictManyAsync(task, Compositions))
        {
            Assert.True(prediction.Succeeded, prediction.Error);
            var probabilities = prediction.LabelProbabilities!;
            Assert.Equal(task.Classes.Select(c => c.Name).Order(), probabilities.Keys.Order());
            Assert.Equal(1.0, probabilities.Values.Sum(), 6);
            Assert.Equal(probabilities[positive], prediction.Probability!.Value, 12);
            Assert.Equal(probabilities.MaxBy(p => p.Value).Key, prediction.Label);
            Assert.StartsWith(task.Classes.Single(c => c.Name == prediction.Label).Option, prediction.RawAnswer);
        }
    }

    [Fact]
    public async Task MultiClassProbabilityIsTheChosenClass()
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var predictor = new PropertyPredictor(engine);
        var task = TaskCatalog.Get("pei_phase");

        var prediction = await predictor.PredictAsync(task, "Ag0.05Zr0.95");

        Assert.True(prediction.Succeeded, prediction.Error);
        Assert.Equal(task.Classes.Count, prediction.LabelProbabilities!.Count);
        Assert.Equal(prediction.LabelProbabilities.Values.Max(), prediction.Probability!.Value, 12);
    }

    public static TheoryData<string> ClassificationTasks() =>
        [.. TaskCatalog.All.Where(t => t.Kind != TaskKind.Regression).Select(t => t.Name)];

    [Theory]
    [MemberData(nameof(ClassificationTasks))]
    public async Task EveryClassificationTaskOfTheCatalogGetsClassProbabilitiesWithTheBuiltInVocabulary(string taskName)
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var task = TaskCatalog.Get(taskName);
        var input = TaskDatasetLoader.Load(task, SharedData.Root).Records[0].Input;

        var prediction = await new PropertyPredictor(engine).PredictAsync(task, input);

        Assert.True(prediction.Succeeded, prediction.Error);
        Assert.Equal(task.Classes.Count, prediction.LabelProbabilities!.Count);
        Assert.Equal(1.0, prediction.LabelProbabilities.Values.Sum(), 6);
    }

    [Theory]
    [InlineData("Xx2O3", "not a valid composition")]
    [InlineData("Fe2(O3", "not a valid composition")]
    [InlineData("   ", "empty")]
    public async Task MalformedInputsAreRejectedWithoutAskingTheModel(string input, string expected)
    {
        await using var engine = InferenceEngine.Start(model.ExactOptions());
        var predictor = new PropertyPredictor(engine);

        var prediction = await predictor.PredictAsync(TaskCatalog.Get("matbench_expt_gap"), input);

        Assert.False(prediction.Succeeded);
        Assert.Contains(expected, prediction.Error);
        Assert.Null(prediction.Value);
        Assert.Equal(0, engine.Stats.RequestsCompleted);
    }

    [Fact]
    public async Task BatchedPredictionsEqualOneAtATime()
    {
        var gap = TaskCatalog.Get("matbench_expt_gap");
        var metal = TaskCatalog.Get("matbench_is_metal");
        IReadOnlyList<PropertyPrediction> batchedGap, batchedMetal;
        await using (var batched = InferenceEngine.Start(model.ExactOptions(seqMax: 8)))
        {
            var predictor = new PropertyPredictor(batched);
            var gapTask = predictor.PredictManyAsync(gap, Compositions);
            var metalTask = predictor.PredictManyAsync(metal, Compositions);
            batchedGap = await gapTask;
            batchedMetal = await metalTask;
        }

        // One request at a time, with the slots one distribution sampler needs.
        await using var single = InferenceEngine.Start(model.ExactOptions(seqMax: NumericSamplingOptions.Default.Width));
        var one = new PropertyPredictor(single);
        for (var i = 0; i < Compositions.Length; i++)
        {
            var g = await one.PredictAsync(gap, Compositions[i]);
            var m = await one.PredictAsync(metal, Compositions[i]);
            Assert.Equal(g.RawAnswer, batchedGap[i].RawAnswer);
            Assert.Equal(m.Probability!.Value, batchedMetal[i].Probability!.Value, 3);
        }
    }

    [Fact]
    public void TheSharedPrefixIsTheFormatsInstructionPartAndTheSuffixTheCandidate()
    {
        var task = TaskCatalog.Get("matbench_expt_gap");
        var request = new PredictionRequestBuilder(new PredictionOptions()).Build(task, "Ag2BBr");
        Assert.StartsWith("Below is an instruction that describes a task", request.SharedPrefix);
        Assert.EndsWith("### Input:\n", request.SharedPrefix);
        Assert.Equal("Ag2BBr\n\n\n### Response:", request.Suffix);
        Assert.IsType<ResponseMode.NumberDistribution>(request.Mode);
        var greedy = new PredictionRequestBuilder(new PredictionOptions { Estimate = NumericEstimate.Greedy }).Build(task, "Ag2BBr");
        Assert.IsType<ResponseMode.Numeric>(greedy.Mode);

        var metal = new PredictionRequestBuilder(new PredictionOptions()).Build(TaskCatalog.Get("matbench_is_metal"), "In5AgTe8");
        Assert.Equal(" In5AgTe8\n\n\n### Response:", metal.Suffix);
        Assert.Equal([" No, In5AgTe8 is not metal.\n", " Yes, In5AgTe8 is metal.\n"], Assert.IsType<ResponseMode.Labels>(metal.Mode).Choices.Order());
    }

    private static string[] LoadCompositions(int count) =>
        File.ReadLines(SharedData.PathOf("darwin", "matbench_expt_gap", "matbench_expt_gap.csv"))
            .Skip(1).Select(line => line.Split(',')[0]).Where(c => c.Length < 30).Take(count).ToArray();
}
