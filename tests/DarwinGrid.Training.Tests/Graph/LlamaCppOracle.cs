using LLama;
using LLama.Common;
using LLama.Native;

namespace DarwinGrid.Training.Tests.Graph;

/// <summary>
/// llama.cpp (through LLamaSharp) as the reference for our graph: flash attention off and an F32
/// KV cache, so its attention is computed the same way (its defaults add ~1e-4 of noise).
/// </summary>
internal static class LlamaCppOracle
{
    /// <param name="adapters">LoRA adapter GGUFs applied with their scales (llama_adapter_lora_init + llama_set_adapters_lora).</param>
    public static float[][] Logits(string modelPath, IReadOnlyList<int> tokens, params (string Path, float Scale)[] adapters)
    {
        var parameters = Parameters(modelPath);
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        if (adapters.Length > 0)
            context.NativeHandle.SetLoraAdapters(adapters.Select(a => (weights.NativeHandle.LoadLoraFromFile(a.Path), a.Scale)).ToArray());
        var batch = new LLamaBatch();
        for (var i = 0; i < tokens.Count; i++) batch.Add((LLamaToken)tokens[i], i, LLamaSeqId.Zero, true);
        var result = context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode failed: {result}");
        return Enumerable.Range(0, tokens.Count).Select(i => context.NativeHandle.GetLogitsIth(i).ToArray()).ToArray();
    }

    /// <summary>The comparison's settings: CPU only, flash attention off, F32 KV cache, room for 256 tokens.</summary>
    public static ModelParams Parameters(string modelPath) => new(modelPath)
    {
        ContextSize = 256,
        BatchSize = 256,
        GpuLayerCount = 0,
        FlashAttention = false,
        TypeK = GGMLType.GGML_TYPE_F32,
        TypeV = GGMLType.GGML_TYPE_F32,
    };

    public static int[] Tokenize(string modelPath, string text)
    {
        var parameters = new ModelParams(modelPath) { ContextSize = 256, GpuLayerCount = 0 };
        using var weights = LLamaWeights.LoadFromFile(parameters);
        return weights.Tokenize(text, add_bos: true, special: false, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();
    }

    /// <summary>max |ours - theirs| / max |theirs|: the difference relative to the logits' scale.</summary>
    public static double MaxRelativeDifference(float[][] ours, float[][] theirs)
    {
        double maxDiff = 0, maxRef = 0;
        for (var i = 0; i < theirs.Length; i++)
        {
            for (var j = 0; j < theirs[i].Length; j++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[i][j] - theirs[i][j]));
                maxRef = Math.Max(maxRef, Math.Abs(theirs[i][j]));
            }
        }
        return maxDiff / maxRef;
    }
}
