using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;
using LLama;
using LLama.Native;

namespace DarwinGrid.Training.Tests.Lora;

/// <summary>Small random LLaMA bases quantized by llama.cpp's own quantizer (rows of 256 for the K-quants).</summary>
internal static class QuantizedBase
{
    public static LlamaHyperparameters Shape(int vocabularySize, bool tied = false, bool ropeFrequencies = false) =>
        new(vocabularySize, EmbeddingLength: 256, BlockCount: 2, HeadCount: 4, HeadCountKv: 2, FeedForwardLength: 512, ContextLength: 256,
            TiedOutput: tied, RopeFrequencyFactors: ropeFrequencies);

    /// <summary>Writes an F32 base of <paramref name="shape"/> to <paramref name="directory"/> and its copy in <paramref name="type"/>; returns the copy's path.</summary>
    public static string Write(string directory, LlamaHyperparameters shape, Vocabulary vocabulary, LLamaFtype type, int seed = 11)
    {
        var source = Path.Combine(directory, $"base-f32-{seed}.gguf");
        RandomLlamaModel.Write(source, shape, vocabulary, seed, GgmlType.F32, std: 0.05f);
        if (type == LLamaFtype.ALL_F32) return source;
        var target = Path.Combine(directory, $"base-{type}-{seed}.gguf");
        NativeApi.llama_empty_call();
        if (!LLamaQuantizer.Quantize(source, target, type, nthread: 2, allowRequantize: false, quantizeOutputTensor: true))
            throw new InvalidOperationException($"llama.cpp could not quantize {source} to {type}.");
        return target;
    }
}
