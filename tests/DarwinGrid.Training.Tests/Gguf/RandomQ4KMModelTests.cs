using DarwinGrid.TestSupport;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tests.Graph;
using DarwinGrid.Training.Tests.Lora;
using DarwinGrid.Training.Tokenization;
using LLama.Native;

namespace DarwinGrid.Training.Tests.Gguf;

/// <summary>
/// <c>darwin bench lora7b --make direct</c>'s writer: random Q4_K/Q6_K blocks in the same per-tensor
/// mix llama.cpp's quantizer chooses for Q4_K_M, with the requested spread, a model llama.cpp runs and
/// our graph reads to llama.cpp's logits.
/// </summary>
public sealed class RandomQ4KMModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("random-q4km-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [Trait("Category", TestCategories.Slow)] // ~50 s (llama.cpp's quantizer on an 8-layer model): it guards the Slow 7B benchmark's model maker, so it runs with the benchmarks
    public void ADirectlyWrittenQ4KMModelHasLlamaCppSTypeMixTheRequestedSpreadAndItsLogits()
    {
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        // Eight layers: llama.cpp gives more bits to attn_v and ffn_down in layers 0, 3, 6 and 7.
        var shape = QuantizedBase.Shape(vocabulary.Count) with { BlockCount = 8 };
        var path = Path.Combine(_dir, "direct.gguf");
        RandomQ4KMModel.Write(path, shape, vocabulary, seed: 4, std: 0.05f);
        var quantized = QuantizedBase.Write(_dir, shape, vocabulary, LLamaFtype.MOSTLY_Q4_K_M);

        using (var direct = GgufFile.Open(path))
        using (var reference = GgufFile.Open(quantized))
        {
            // llama.cpp's quantizer also reorders the tensors (head first); the types per name are what must agree.
            Assert.Equal(reference.Tensors.Select(t => (t.Name, t.Type)).Order(), direct.Tensors.Select(t => (t.Name, t.Type)).Order());
            Assert.Equal(GgmlType.Q6_K, direct.Tensor("blk.7.ffn_down.weight").Type);
            Assert.Equal(GgmlType.Q4_K, direct.Tensor("blk.1.ffn_down.weight").Type);
            foreach (var name in new[] { "blk.0.attn_q.weight", "blk.0.attn_v.weight", "output.weight" })
            {
                var tensor = direct.Tensor(name);
                var values = GgmlDequantizer.ToFloats(tensor.Type, tensor.Dimensions, direct.ReadTensorBytes(name), name);
                var mean = values.Average(v => (double)v);
                var std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
                Assert.InRange(mean, -0.005, 0.005);
                Assert.InRange(std, 0.04, 0.06);
            }
            Assert.NotEqual(direct.ReadTensorBytes("blk.0.attn_q.weight"), direct.ReadTensorBytes("blk.1.attn_q.weight"));
        }

        var tokens = LlamaCppOracle.Tokenize(path, "What is band gap of Ag0.5Ge1Pb1.75S4? -> 1.83");
        using var forward = new LlamaForward(LlamaCheckpoint.Open(path), threads: 2);
        var absolute = QuantizedBaseLoraTests.MaxAbsoluteDifference(forward.Logits(tokens), LlamaCppOracle.Logits(path, tokens));
        Assert.True(absolute <= 1e-4, $"max |Δlogit| {absolute:E3}");
    }
}
