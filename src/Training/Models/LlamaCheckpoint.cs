using DarwinGrid.Training.Gguf;

namespace DarwinGrid.Training.Models;

/// <summary>
/// A LLaMA model held as F32 arrays plus the GGUF metadata it came with (vocabulary included), so it
/// can be trained and written back as a GGUF that llama.cpp loads like the original.
/// </summary>
public sealed record LlamaCheckpoint(
    LlamaHyperparameters Hyperparameters,
    IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata,
    IReadOnlyDictionary<string, float[]> Weights)
{
    /// <summary>Reads any LLaMA GGUF with F32, F16 or BF16 tensors (quantized ones are refused).</summary>
    public static LlamaCheckpoint Load(string path)
    {
        using var file = GgufFile.Open(path);
        var h = LlamaGguf.ReadHyperparameters(file);
        var specs = LlamaTensorLayout.Enumerate(h).ToList();
        var expected = specs.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = file.Tensors.Where(t => !expected.Contains(t.Name)).Select(t => t.Name).ToList();
        if (unexpected.Count > 0)
            throw new GgufFormatException(
                $"'{path}' has tensors this trainer does not model ({string.Join(", ", unexpected.Take(5))}); " +
                "training would silently drop them (e.g. rope_freqs changes RoPE).");
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var spec in specs)
        {
            var info = file.Tensor(spec.Name);
            if (!info.Dimensions.SequenceEqual(spec.Dimensions))
                throw new GgufFormatException(
                    $"'{path}': tensor '{spec.Name}' has shape {info.Shape}, the model's hyperparameters need [{string.Join(", ", spec.Dimensions)}].");
            weights[spec.Name] = file.ReadTensorAsFloats(spec.Name);
        }
        var metadata = file.Metadata.Where(kv => kv.Key != GgufFormat.AlignmentKey).ToList();
        return new LlamaCheckpoint(h, metadata, weights);
    }

    /// <summary>Writes all tensors as F32 with the original metadata (file type set to all-F32).</summary>
    public void Save(string path)
    {
        var writer = new GgufWriter();
        foreach (var (key, value) in Metadata) writer.Set(key, value);
        writer.Set("general.file_type", GgufValue.Of(0u));
        foreach (var spec in LlamaTensorLayout.Enumerate(Hyperparameters))
        {
            if (!Weights.TryGetValue(spec.Name, out var values))
                throw new InvalidOperationException($"The checkpoint has no values for tensor '{spec.Name}'.");
            writer.AddTensor(spec.Name, spec.Dimensions, values);
        }
        writer.WriteTo(path);
    }

    public LlamaCheckpoint WithWeights(IReadOnlyDictionary<string, float[]> weights) => this with { Weights = weights };
}
