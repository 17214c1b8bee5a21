using DarwinGrid.Training.Models;

namespace DarwinGrid.Training.Lora;

/// <summary>
/// A LoRA adapter held as F32 arrays: the options it was trained with and one A/B pair per adapted
/// base weight. The effective change of W is <c>userScale * Alpha / rank * B A</c>, as llama.cpp applies it.
/// </summary>
public sealed record LoraAdapter(LoraOptions Options, IReadOnlyList<LoraWeight> Weights)
{
    /// <summary>The multiplier of B (A x) for <paramref name="weight"/> at a user scale (llama.cpp: scale * alpha / rank).</summary>
    public float ScaleOf(LoraWeight weight, float userScale = 1f) => userScale * Options.Alpha / weight.Rank;

    public long ParameterCount => Weights.Sum(w => w.A.LongLength + w.B.LongLength);

    /// <summary>
    /// A fresh adapter for <paramref name="h"/>: A uniform in ±1/sqrt(In) (seeded), B zero, so the
    /// adapted model starts equal to the base and B's gradient is non-zero from the first step.
    /// </summary>
    public static LoraAdapter Initial(LlamaHyperparameters h, LoraOptions options, int seed)
    {
        options.Validated();
        var random = new Random(seed);
        var weights = new List<LoraWeight>();
        foreach (var spec in LoraTargets.Select(h, options))
        {
            long input = spec.Dimensions[0], output = spec.Dimensions[1];
            var a = new float[input * options.Rank];
            var bound = 1.0 / Math.Sqrt(input);
            for (var i = 0; i < a.Length; i++) a[i] = (float)((2 * random.NextDouble() - 1) * bound);
            weights.Add(new LoraWeight(spec.Name, input, output, options.Rank, a, new float[options.Rank * output]));
        }
        return new LoraAdapter(options, weights);
    }

    /// <summary>The same adapter with A and B taken from <paramref name="tensors"/> by their GGUF names (a run checkpoint's).</summary>
    public LoraAdapter WithValues(IReadOnlyDictionary<string, float[]> tensors) => this with
    {
        Weights = Weights.Select(w => (w with
        {
            A = tensors.TryGetValue(w.AName, out var a) ? a : throw new ArgumentException($"No values for LoRA tensor '{w.AName}'."),
            B = tensors.TryGetValue(w.BName, out var b) ? b : throw new ArgumentException($"No values for LoRA tensor '{w.BName}'."),
        }).Validated()).ToList(),
    };

    /// <summary>A and B of every weight by their GGUF names.</summary>
    public Dictionary<string, float[]> Tensors() =>
        Weights.SelectMany(w => new[] { KeyValuePair.Create(w.AName, w.A), KeyValuePair.Create(w.BName, w.B) }).ToDictionary(StringComparer.Ordinal);

    /// <summary>Throws when a weight does not adapt a matrix of <paramref name="h"/> with the same shape.</summary>
    public LoraAdapter CheckedAgainst(LlamaHyperparameters h)
    {
        var specs = LlamaTensorLayout.Enumerate(h).ToDictionary(s => s.Name, StringComparer.Ordinal);
        foreach (var weight in Weights)
        {
            weight.Validated();
            if (!specs.TryGetValue(weight.BaseName, out var spec) || spec.Dimensions.Length != 2)
                throw new LoraAdapterMismatchException($"the adapter has tensors for '{weight.BaseName}', which is not a weight matrix of the base model.");
            if (spec.Name == LlamaTensorLayout.TokenEmbedding)
                throw new LoraAdapterMismatchException($"adapters of '{spec.Name}' (llama.cpp flips A and B there) are not supported.");
            if (spec.Dimensions[0] != weight.InputLength || spec.Dimensions[1] != weight.OutputLength)
                throw new LoraAdapterMismatchException(
                    $"'{weight.BaseName}' is [{spec.Dimensions[0]}, {spec.Dimensions[1]}] in the base, but the adapter's {weight.AName} is " +
                    $"[{weight.InputLength}, {weight.Rank}] and {weight.BName} [{weight.Rank}, {weight.OutputLength}] (they need [{spec.Dimensions[0]}, r] and [r, {spec.Dimensions[1]}]).");
        }
        return this;
    }
}

/// <summary>An adapter that does not fit its base model; the message names the tensor and both shapes.</summary>
public sealed class LoraAdapterMismatchException(string message) : Exception(message);
