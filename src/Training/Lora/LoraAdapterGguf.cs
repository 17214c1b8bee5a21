using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Lora;

/// <summary>
/// LoRA adapters in llama.cpp's adapter GGUF format: <c>general.type = adapter</c>,
/// <c>adapter.type = lora</c>, <c>adapter.lora.alpha</c> (f32) and F32 tensors
/// <c>&lt;weight&gt;.lora_a</c> (ne [in, r]) / <c>&lt;weight&gt;.lora_b</c> (ne [r, out]), which
/// <c>llama_adapter_lora_init</c> loads for the base model of the same architecture.
/// </summary>
public static class LoraAdapterGguf
{
    public const string TypeKey = "general.type";
    public const string AdapterTypeKey = "adapter.type";
    public const string AlphaKey = "adapter.lora.alpha";

    /// <summary>Writes <paramref name="adapter"/> for the base model whose GGUF metadata is <paramref name="baseMetadata"/> (its architecture and name are used).</summary>
    public static void Write(string path, LoraAdapter adapter, IEnumerable<KeyValuePair<string, GgufValue>> baseMetadata)
    {
        var metadata = baseMetadata.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var architecture = metadata.TryGetValue("general.architecture", out var a) ? a.AsString() : LlamaGguf.Architecture;
        var baseName = metadata.TryGetValue("general.name", out var n) ? n.AsString() : "base";

        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.Of(architecture));
        writer.Set(TypeKey, GgufValue.Of("adapter"));
        writer.Set("general.name", GgufValue.Of($"{baseName} LoRA r{adapter.Options.Rank}"));
        writer.Set(AdapterTypeKey, GgufValue.Of("lora"));
        writer.Set(AlphaKey, GgufValue.Of(adapter.Options.Alpha));
        foreach (var weight in adapter.Weights)
        {
            weight.Validated();
            writer.AddTensor(weight.AName, weight.ADimensions, weight.A);
            writer.AddTensor(weight.BName, weight.BDimensions, weight.B);
        }
        writer.WriteTo(path);
    }

    /// <summary>
    /// Reads an adapter GGUF. Alpha 0 or missing means "no alpha/rank scaling" in llama.cpp; it is
    /// read as alpha = rank, which scales the same. Throws <see cref="GgufFormatException"/> naming the
    /// file when it is not a LoRA adapter or its tensors are incomplete or inconsistent.
    /// </summary>
    public static LoraAdapter Read(string path)
    {
        using var file = GgufFile.Open(path);
        var type = file.Find(TypeKey)?.AsString();
        if (type != "adapter")
            throw new GgufFormatException($"'{path}' is not a LoRA adapter: general.type is '{type ?? "(missing)"}', expected 'adapter'.");
        var adapterType = file.Find(AdapterTypeKey)?.AsString();
        if (adapterType != "lora")
            throw new GgufFormatException($"'{path}' is a '{adapterType ?? "(unknown)"}' adapter, not 'lora'.");

        var weights = new List<LoraWeight>();
        foreach (var info in file.Tensors)
        {
            if (info.Name.EndsWith(LoraWeight.BSuffix, StringComparison.Ordinal))
            {
                if (!file.TensorsByName.ContainsKey(info.Name[..^LoraWeight.BSuffix.Length] + LoraWeight.ASuffix))
                    throw new GgufFormatException($"'{path}': tensor '{info.Name}' has no matching {LoraWeight.ASuffix} tensor.");
                continue;
            }
            if (!info.Name.EndsWith(LoraWeight.ASuffix, StringComparison.Ordinal))
                throw new GgufFormatException($"'{path}': tensor '{info.Name}' is neither a {LoraWeight.ASuffix} nor a {LoraWeight.BSuffix} tensor.");
            var baseName = info.Name[..^LoraWeight.ASuffix.Length];
            var b = file.TensorsByName.GetValueOrDefault(baseName + LoraWeight.BSuffix)
                ?? throw new GgufFormatException($"'{path}': tensor '{info.Name}' has no matching {LoraWeight.BSuffix} tensor.");
            if (info.Dimensions.Length != 2 || b.Dimensions.Length != 2 || info.Dimensions[1] != b.Dimensions[0])
                throw new GgufFormatException($"'{path}': {info.Name} {info.Shape} and {b.Name} {b.Shape} are not a LoRA pair ([in, r] and [r, out]).");
            weights.Add(new LoraWeight(baseName, info.Dimensions[0], b.Dimensions[1], checked((int)info.Dimensions[1]),
                file.ReadTensorAsFloats(info.Name), file.ReadTensorAsFloats(b.Name)));
        }
        if (weights.Count == 0) throw new GgufFormatException($"'{path}' is a LoRA adapter without any tensors.");

        var ranks = weights.Select(w => w.Rank).Distinct().ToList();
        var alpha = (float)(file.Find(AlphaKey)?.AsDouble() ?? 0);
        var options = new LoraOptions
        {
            // llama.cpp scales each pair by alpha / its own rank; with one rank this is exact.
            Rank = ranks.Count == 1 ? ranks[0] : throw new GgufFormatException($"'{path}' mixes LoRA ranks {string.Join(", ", ranks)}; one rank per adapter is supported."),
            Alpha = alpha > 0 ? alpha : ranks[0],
            Targets = TargetsOf(weights),
        };
        return new LoraAdapter(options, weights);
    }

    /// <summary>The short target names of the weights that are block projections (q, k, ...), in the canonical order.</summary>
    private static IReadOnlyList<string> TargetsOf(IEnumerable<LoraWeight> weights)
    {
        var tensors = weights.Select(w => w.BaseName.Split('.')).Where(p => p.Length == 4 && p[0] == "blk").Select(p => p[2]).ToHashSet(StringComparer.Ordinal);
        var targets = LoraOptions.AllTargets.Where(t => tensors.Contains(LoraTargets.BlockTensor(t).Name)).ToList();
        return targets.Count > 0 ? targets : LoraOptions.AllTargets;
    }
}
