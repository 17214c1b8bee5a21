using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Lora;

/// <summary>Maps LoRA target short names (q, k, v, o, gate, up, down) to the GGUF tensors of each block.</summary>
public static class LoraTargets
{
    private static readonly IReadOnlyDictionary<string, string> BlockTensors = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["q"] = "attn_q",
        ["k"] = "attn_k",
        ["v"] = "attn_v",
        ["o"] = "attn_output",
        ["gate"] = "ffn_gate",
        ["up"] = "ffn_up",
        ["down"] = "ffn_down",
    };

    /// <summary>The block tensor a short name targets, e.g. "o" -> "attn_output".</summary>
    public static string BlockTensor(string target) =>
        BlockTensors.TryGetValue(target, out var tensor) ? tensor
            : throw new ArgumentException($"Unknown LoRA target '{target}'; known: {string.Join(", ", LoraOptions.AllTargets)}.");

    /// <summary>The base weights an adapter with these options adapts, in GGUF order.</summary>
    public static IEnumerable<LlamaTensorSpec> Select(LlamaHyperparameters h, LoraOptions options)
    {
        var wanted = options.Targets.Select(BlockTensor).ToHashSet(StringComparer.Ordinal);
        return LlamaTensorLayout.Enumerate(h).Where(spec =>
            !spec.IsNorm && spec.Name.StartsWith("blk.", StringComparison.Ordinal) && wanted.Contains(BlockTensorOf(spec.Name)));
    }

    /// <summary>"blk.3.attn_q.weight" -> "attn_q".</summary>
    private static string BlockTensorOf(string name)
    {
        var parts = name.Split('.');
        return parts.Length == 4 ? parts[2] : "";
    }
}
