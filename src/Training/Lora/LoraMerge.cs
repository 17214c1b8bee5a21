using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Lora;

/// <summary>
/// Folds a LoRA adapter into its base model: W' = W + scale * (alpha / r) * B A for every adapted
/// weight, the same change llama.cpp applies at run time, so the merged model serves without the adapter.
/// </summary>
public static class LoraMerge
{
    /// <summary>The base checkpoint with the adapter merged in at <paramref name="scale"/> (llama.cpp's user scale).</summary>
    public static LlamaCheckpoint Merge(LlamaCheckpoint baseModel, LoraAdapter adapter, float scale = 1f)
    {
        if (!float.IsFinite(scale)) throw new ArgumentException($"The LoRA scale must be a finite number (got {scale}).", nameof(scale));
        adapter.CheckedAgainst(baseModel.Hyperparameters);
        var weights = new Dictionary<string, float[]>(baseModel.Weights, StringComparer.Ordinal);
        foreach (var lora in adapter.Weights)
        {
            var merged = (float[])weights[lora.BaseName].Clone();
            AddProduct(merged, lora, adapter.ScaleOf(lora, scale));
            weights[lora.BaseName] = merged;
        }
        return baseModel.WithWeights(weights);
    }

    /// <summary>
    /// Writes base + adapter as a GGUF llama.cpp loads, one tensor at a time: tensors the adapter does
    /// not touch keep their stored bytes and type (Q4_K, Q8_0, ...) when the base is a file; each
    /// adapted matrix is dequantized, merged and written as F16 (F32 when the base held it as F32).
    /// Nothing but one matrix is ever held as floats.
    /// </summary>
    public static void WriteMerged(LlamaCheckpoint baseModel, LoraAdapter adapter, string path, float scale = 1f)
    {
        if (!float.IsFinite(scale)) throw new ArgumentException($"The LoRA scale must be a finite number (got {scale}).", nameof(scale));
        adapter.CheckedAgainst(baseModel.Hyperparameters);
        var adapted = adapter.Weights.ToDictionary(w => w.BaseName, StringComparer.Ordinal);
        using var source = baseModel.SourceFile is { } file ? GgufFile.Open(file) : null;
        var writer = new GgufWriter();
        foreach (var (key, value) in baseModel.Metadata) writer.Set(key, value);
        if (source is null) writer.Set("general.file_type", GgufValue.Of(0u));
        foreach (var spec in LlamaTensorLayout.Enumerate(baseModel.Hyperparameters))
        {
            var stored = source?.Tensor(spec.Name).Type ?? GgmlType.F32;
            if (adapted.TryGetValue(spec.Name, out var lora))
            {
                var type = stored == GgmlType.F32 ? GgmlType.F32 : GgmlType.F16;
                writer.AddTensor(new GgufTensorToWrite(spec.Name, spec.Dimensions, type, ReadOnlyMemory<byte>.Empty)
                {
                    Producer = stream =>
                    {
                        var merged = (float[])baseModel.Weights[spec.Name].Clone();
                        AddProduct(merged, lora, adapter.ScaleOf(lora, scale));
                        stream.Write(TensorData.FromFloats(merged, type));
                    },
                });
            }
            else if (source is not null)
            {
                writer.AddTensor(new GgufTensorToWrite(spec.Name, spec.Dimensions, stored, ReadOnlyMemory<byte>.Empty)
                {
                    Producer = stream => source.CopyTensorBytes(spec.Name, (bytes, _) => stream.Write(bytes)),
                });
            }
            else
            {
                writer.AddTensor(spec.Name, spec.Dimensions, baseModel.Weights[spec.Name]);
            }
        }
        writer.WriteTo(path);
    }

    /// <summary>
    /// W[o, i] += s * sum_j B[o, j] A[j, i], with W ne [In, Out] stored as Out rows of In values,
    /// A ne [In, r] as r rows of In, B ne [r, Out] as Out rows of r.
    /// </summary>
    private static void AddProduct(float[] w, LoraWeight lora, float s)
    {
        int input = checked((int)lora.InputLength), output = checked((int)lora.OutputLength), rank = lora.Rank;
        Parallel.For(0, output, o =>
        {
            var row = w.AsSpan(o * input, input);
            for (var j = 0; j < rank; j++)
            {
                var factor = s * lora.B[o * rank + j];
                if (factor == 0) continue;
                var a = lora.A.AsSpan(j * input, input);
                for (var i = 0; i < input; i++) row[i] += factor * a[i];
            }
        });
    }
}
