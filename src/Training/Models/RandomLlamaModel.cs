using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Models;

/// <summary>
/// Writes a randomly initialised LLaMA model: matrices ~ N(0, std) from a seeded generator, norm
/// weights 1. The same seed and shape always give the same bytes.
/// </summary>
public static class RandomLlamaModel
{
    public static IReadOnlyDictionary<string, float[]> CreateWeights(LlamaHyperparameters h, int seed, float std = 0.02f)
    {
        var random = new Random(seed);
        var weights = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var spec in LlamaTensorLayout.Enumerate(h.Validated()))
        {
            var values = new float[spec.ElementCount];
            if (spec.IsNorm) Array.Fill(values, 1f);
            else FillNormal(random, values, std);
            weights[spec.Name] = values;
        }
        return weights;
    }

    public static void Write(string path, LlamaHyperparameters h, Vocabulary vocabulary, int seed,
        GgmlType type = GgmlType.F32, string modelName = "darwingrid-random", float std = 0.02f)
    {
        var writer = LlamaGguf.CreateWriter(h, vocabulary, modelName);
        var weights = CreateWeights(h, seed, std);
        foreach (var spec in LlamaTensorLayout.Enumerate(h))
            writer.AddTensor(spec.Name, spec.Dimensions, weights[spec.Name], spec.IsNorm ? GgmlType.F32 : type);
        writer.WriteTo(path);
    }

    private static void FillNormal(Random random, float[] values, float std)
    {
        for (var i = 0; i < values.Length; i += 2)
        {
            // Box-Muller: two independent normals per pair of uniforms.
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            var radius = Math.Sqrt(-2.0 * Math.Log(u1)) * std;
            values[i] = (float)(radius * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < values.Length) values[i + 1] = (float)(radius * Math.Sin(2 * Math.PI * u2));
        }
    }
}
