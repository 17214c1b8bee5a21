using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Inference.Tests.Support;

/// <summary>Writes LoRA adapter GGUFs in llama.cpp's layout (lora_a: [n_in, r], lora_b: [r, n_out]).</summary>
internal static class LoraAdapterFile
{
    public static void Write(string path, LlamaHyperparameters shape, int rank, int seed, int inputOverride = 0)
    {
        var random = new Random(seed);
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.Of("llama"));
        writer.Set("general.type", GgufValue.Of("adapter"));
        writer.Set("adapter.type", GgufValue.Of("lora"));
        writer.Set("adapter.lora.alpha", GgufValue.Of((float)rank));
        foreach (var tensor in new[] { LlamaBlockTensor.AttnQ, LlamaBlockTensor.AttnV, LlamaBlockTensor.FfnUp })
        {
            var baseSpec = LlamaTensorLayout.Enumerate(shape).Single(t => t.Name == tensor.In(0));
            long nIn = inputOverride > 0 ? inputOverride : baseSpec.Dimensions[0], nOut = baseSpec.Dimensions[1];
            writer.AddTensor($"{baseSpec.Name}.lora_a", [nIn, rank], Normal(random, nIn * rank, 0.5f));
            writer.AddTensor($"{baseSpec.Name}.lora_b", [rank, nOut], Normal(random, rank * nOut, 0.5f));
        }
        writer.WriteTo(path);
    }

    private static float[] Normal(Random random, long count, float std) =>
        Enumerable.Range(0, (int)count).Select(_ => (float)(std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToArray();
}
