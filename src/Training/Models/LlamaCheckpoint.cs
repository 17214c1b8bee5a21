using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Graph;

namespace DarwinGrid.Training.Models;

/// <summary>
/// A LLaMA model held as F32 arrays plus the GGUF metadata it came with (vocabulary included), so it
/// can be trained and written back as a GGUF that llama.cpp loads like the original. A checkpoint read
/// from a file remembers it (<see cref="SourceFile"/>): frozen uses (LoRA training, forward passes)
/// then load the file's tensors in their stored types instead of <see cref="Weights"/>.
/// </summary>
public sealed record LlamaCheckpoint(
    LlamaHyperparameters Hyperparameters,
    IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata,
    IReadOnlyDictionary<string, float[]> Weights)
{
    /// <summary>The GGUF the weights are those of, unchanged; null for weights made or changed in memory.</summary>
    public string? SourceFile { get; init; }

    /// <summary>Reads any LLaMA GGUF into F32 arrays (F16, BF16 converted; quantized tensors dequantized by ggml).</summary>
    public static LlamaCheckpoint Load(string path)
    {
        var opened = Open(path);
        return opened with { Weights = opened.Weights.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal) };
    }

    /// <summary>
    /// The model's shape and metadata, checked, with weights read from the file only when asked for
    /// (each access reads the tensor again): LoRA training on a 7B base never makes an F32 copy.
    /// </summary>
    public static LlamaCheckpoint Open(string path)
    {
        using var file = GgufFile.Open(path);
        var h = LlamaGguf.ReadHyperparameters(file);
        var specs = LlamaTensorLayout.Enumerate(h).ToList();
        CheckTensors(file, specs);
        var metadata = file.Metadata.Where(kv => kv.Key != GgufFormat.AlignmentKey).ToList();
        return new LlamaCheckpoint(h, metadata, new FileTensorValues(path, specs.Select(s => s.Name).ToList())) { SourceFile = path };
    }

    /// <summary>Every tensor the file has is one the model uses, with the shape its hyperparameters give.</summary>
    public static void CheckTensors(GgufFile file, IReadOnlyList<LlamaTensorSpec> specs)
    {
        var expected = specs.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var unexpected = file.Tensors.Where(t => !expected.Contains(t.Name)).Select(t => t.Name).ToList();
        if (unexpected.Count > 0)
            throw new GgufFormatException(
                $"'{file.Path}' has tensors this trainer does not model ({string.Join(", ", unexpected.Take(5))}); " +
                "training would silently drop them.");
        foreach (var spec in specs)
        {
            var info = file.Tensor(spec.Name);
            if (!info.Dimensions.SequenceEqual(spec.Dimensions))
                throw new GgufFormatException(
                    $"'{file.Path}': tensor '{spec.Name}' has shape {info.Shape}, the model's hyperparameters need [{string.Join(", ", spec.Dimensions)}].");
        }
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

    /// <summary>The same model with other weights (no longer those of <see cref="SourceFile"/>).</summary>
    public LlamaCheckpoint WithWeights(IReadOnlyDictionary<string, float[]> weights) => this with { Weights = weights, SourceFile = null };

    /// <summary>A file's tensors as F32 arrays, read (and dequantized) on each access.</summary>
    private sealed class FileTensorValues(string path, IReadOnlyList<string> names) : IReadOnlyDictionary<string, float[]>
    {
        private readonly HashSet<string> _names = names.ToHashSet(StringComparer.Ordinal);

        public float[] this[string key] => TryGetValue(key, out var values) ? values : throw new KeyNotFoundException($"The model has no tensor '{key}'.");

        public IEnumerable<string> Keys => names;

        public IEnumerable<float[]> Values => names.Select(n => this[n]);

        public int Count => names.Count;

        public bool ContainsKey(string key) => _names.Contains(key);

        public bool TryGetValue(string key, out float[] value)
        {
            value = [];
            if (!_names.Contains(key)) return false;
            using var file = GgufFile.Open(path);
            var info = file.Tensor(key);
            value = GgmlDequantizer.ToFloats(info.Type, info.Dimensions, file.ReadTensorBytes(key), key);
            return true;
        }

        public IEnumerator<KeyValuePair<string, float[]>> GetEnumerator() => names.Select(n => KeyValuePair.Create(n, this[n])).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
