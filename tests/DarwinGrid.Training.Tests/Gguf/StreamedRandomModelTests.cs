using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tests.Graph;

namespace DarwinGrid.Training.Tests.Gguf;

/// <summary>The tensor-by-tensor writer behind <c>darwin bench lora7b</c>: a model llama.cpp loads, with the requested spread.</summary>
public sealed class StreamedRandomModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("streamed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AStreamedF16ModelHasEveryTensorWithTheRequestedSpreadAndRunsInLlamaCpp()
    {
        var vocabulary = TinyVocabulary.Create();
        var shape = new LlamaHyperparameters(vocabulary.Count, 64, 2, 4, 2, 160, ContextLength: 256);
        var path = Path.Combine(_dir, "streamed.gguf");
        RandomLlamaModel.WriteStreamed(path, shape, vocabulary, seed: 3, GgmlType.F16, std: 0.05f);

        var model = LlamaCheckpoint.Load(path);
        using (var file = GgufFile.Open(path))
        {
            Assert.Equal(GgmlType.F16, file.Tensor("blk.1.ffn_down.weight").Type);
            Assert.Equal(GgmlType.F32, file.Tensor("blk.1.ffn_norm.weight").Type);
        }
        Assert.All(model.Weights["blk.1.ffn_norm.weight"], v => Assert.Equal(1f, v));
        var q = model.Weights["blk.0.attn_q.weight"];
        var std = Math.Sqrt(q.Average(v => (double)v * v));
        Assert.InRange(std, 0.045, 0.055);
        Assert.NotEqual(q, model.Weights["blk.1.attn_q.weight"]);

        var tokens = LlamaCppOracle.Tokenize(path, "What is band gap of Fe?");
        using var forward = new LlamaForward(model, threads: 1);
        var relative = LlamaCppOracle.MaxRelativeDifference(forward.Logits(tokens), LlamaCppOracle.Logits(path, tokens));
        Assert.True(relative < 1e-2, $"relative difference {relative:E3}");
    }
}
