using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Gguf;
using Xunit.Abstractions;

namespace DarwinGrid.Training.Tests.Optimization;

public sealed class LlamaTrainerLearnsTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("trainer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private LlamaCheckpoint RandomModel(int embd, int layers, int heads, int kvHeads, bool tied = false, int seed = 3)
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, embd, layers, heads, kvHeads, 2 * embd, ContextLength: 256, TiedOutput: tied);
        var path = Path.Combine(_dir, $"random-{embd}-{layers}-{heads}-{kvHeads}-{tied}.gguf");
        RandomLlamaModel.Write(path, shape, vocabulary, seed);
        return LlamaCheckpoint.Load(path);
    }

    [Theory]
    [InlineData(RecordLayout.Packed, false)]
    [InlineData(RecordLayout.Padded, true)]
    public void TinyModelLearnsToCopyAndEveryTensorChanges(RecordLayout layout, bool tied)
    {
        var initial = RandomModel(64, 2, 4, 2, tied);
        var training = CopyTask.Records(2000, 5, seed: 1);
        var validation = CopyTask.Records(200, 5, seed: 2);
        var options = new TrainerOptions
        {
            Layout = layout, BatchRows = 16, LearningRate = 3e-3f, WarmupSteps = 20, Epochs = 4, MaxSteps = 250, Seed = 5,
        };
        using var trainer = new LlamaTrainer(initial, options);
        var before = trainer.Evaluate(validation);
        var result = trainer.Train(training, validation);
        var after = trainer.Evaluate(validation);
        output.WriteLine($"{layout}: before {before}, after {after}; {result.Steps} steps, {result.TokensPerSecond:F0} tokens/s");
        foreach (var epoch in result.Epochs) output.WriteLine(epoch.ToString());

        Assert.True(after.Accuracy > 0.95, $"validation accuracy {after.Accuracy:P1}");
        Assert.True(after.Loss < before.Loss / 10, $"loss {before.Loss} -> {after.Loss}");
        var trained = trainer.Checkpoint().Weights;
        foreach (var (name, values) in initial.Weights)
        {
            if (name == LlamaTensorLayout.TokenEmbedding) continue;
            var changed = values.Zip(trained[name]).Count(p => p.First != p.Second);
            Assert.True(changed > values.Length / 2, $"{name}: only {changed} of {values.Length} values changed");
        }
        // Embedding rows get gradients from tokens read before a predicted position (the final EOS
        // is only ever a target) and, when tied, from the output head: every row.
        var embd = initial.Hyperparameters.EmbeddingLength;
        var seen = training.SelectMany(r => r.PromptTokens.Concat(r.ResponseTokens[..^1])).ToHashSet();
        for (var token = 0; token < initial.Hyperparameters.VocabSize; token++)
        {
            var changed = Enumerable.Range(token * embd, embd)
                .Count(i => initial.Weights[LlamaTensorLayout.TokenEmbedding][i] != trained[LlamaTensorLayout.TokenEmbedding][i]);
            if (seen.Contains(token) || tied) Assert.True(changed > embd / 2, $"embedding row {token}: only {changed} of {embd} values changed");
            else Assert.Equal(0, changed);
        }
    }
}
