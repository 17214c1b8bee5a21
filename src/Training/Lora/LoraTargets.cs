using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Lora;

/// <summary>Maps LoRA target short names (q, k, v, o, gate, up, down) to the block weights they adapt (<see cref="LlamaBlockTensor.LoraTarget"/>).</summary>
public static class LoraTargets
{
    /// <summary>The block weight a short name targets, e.g. "o" -> <see cref="LlamaBlockTensor.AttnOutput"/>.</summary>
    public static LlamaBlockTensor BlockTensor(string target) =>
        LlamaBlockTensor.All.FirstOrDefault(t => t.LoraTarget is not null && string.Equals(t.LoraTarget, target, StringComparison.Ordinal))
        ?? throw new ArgumentException($"Unknown LoRA target '{target}'; known: {string.Join(", ", LoraOptions.AllTargets)}.");

    /// <summary>The base weights an adapter with these options adapts, in GGUF order.</summary>
    public static IEnumerable<LlamaTensorSpec> Select(LlamaHyperparameters h, LoraOptions options)
    {
        var wanted = options.Targets.Select(BlockTensor).ToHashSet();
        for (var layer = 0; layer < h.BlockCount; layer++)
        {
            foreach (var tensor in LlamaBlockTensor.All.Where(wanted.Contains))
                yield return new LlamaTensorSpec(tensor.In(layer), tensor.Shape(h), IsNorm: false);
        }
    }
}
