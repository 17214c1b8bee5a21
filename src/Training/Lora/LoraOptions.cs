using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Lora;

/// <summary>
/// Low-rank adaptation: each targeted projection W gets a trainable pair (A: rank x in, B: out x rank)
/// and computes W x + (Alpha / Rank) B A x; the base weights stay frozen. Names follow llama.cpp's
/// adapter format (<c>adapter.lora.alpha</c>, tensors <c>&lt;weight&gt;.lora_a</c> / <c>.lora_b</c>).
/// </summary>
public sealed record LoraOptions
{
    /// <summary>The projections llama.cpp's LLaMA blocks have, by their GGUF short names.</summary>
    public static IReadOnlyList<string> AllTargets { get; } = [.. LlamaBlockTensor.All.Where(t => !t.IsNorm).Select(t => t.LoraTarget!)];

    public int Rank { get; init; } = 8;

    public float Alpha { get; init; } = 16;

    /// <summary>Short names of the targeted projections: q, k, v, o (attn_q/k/v/output), gate, up, down (ffn_*).</summary>
    public IReadOnlyList<string> Targets { get; init; } = AllTargets;

    public float Scale => Alpha / Rank;

    public LoraOptions Validated()
    {
        if (Rank < 1) throw new ArgumentException($"Invalid LoRA options: Rank must be at least 1 (got {Rank}).");
        if (!(Alpha > 0) || !float.IsFinite(Alpha)) throw new ArgumentException($"Invalid LoRA options: Alpha must be positive (got {Alpha}).");
        if (Targets.Count == 0) throw new ArgumentException("Invalid LoRA options: no target projections given.");
        var unknown = Targets.Where(t => !AllTargets.Contains(t, StringComparer.Ordinal)).ToArray();
        if (unknown.Length > 0)
            throw new ArgumentException($"Invalid LoRA options: unknown target(s) {string.Join(", ", unknown)}; known: {string.Join(", ", AllTargets)}.");
        return this;
    }
}
