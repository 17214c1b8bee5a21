using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using LLama;
using LLama.Common;
using LLama.Native;
using DarwinGrid.Training.Tests.Tokenization;

namespace DarwinGrid.Training.Tests.Gguf;

/// <summary>The real consumer of our GGUF files: llama.cpp through LLamaSharp.</summary>
[Collection(BuiltInVocabularyCollection.Name)]
public sealed class LlamaCppLoadsOurModelsTests(BuiltInVocabularyFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("gguf-llama-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(GgmlType.F32, false)]
    [InlineData(GgmlType.F16, true)]
    public void LlamaCppLoadsAndEvaluatesARandomModel(GgmlType type, bool tied)
    {
        var vocabulary = fixture.Vocabulary;
        var shape = new LlamaHyperparameters(vocabulary.Count, 64, 2, 4, 2, 128, TiedOutput: tied);
        var path = Path.Combine(_dir, $"random-{type}.gguf");
        RandomLlamaModel.Write(path, shape, vocabulary, seed: 42, type: type);

        var parameters = new ModelParams(path) { ContextSize = 256, GpuLayerCount = 0, BatchSize = 64 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        Assert.Equal(vocabulary.Count, weights.Vocab.Count);
        Assert.Equal(64, weights.EmbeddingSize);
        using var context = weights.CreateContext(parameters);
        var tokens = context.Tokenize("Fe band gap", addBos: true);
        Assert.Equal(fixture.Tokenizer.Encode("Fe band gap"), tokens.Select(t => (int)t));
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Length; i++) batch.Add(tokens[i], i, LLamaSeqId.Zero, i == tokens.Length - 1);
        Assert.Equal(DecodeResult.Ok, context.NativeHandle.Decode(batch));
        var logits = context.NativeHandle.GetLogitsIth(tokens.Length - 1);
        Assert.Equal(vocabulary.Count, logits.Length);
        Assert.All(logits.ToArray(), l => Assert.True(float.IsFinite(l)));
    }
}
