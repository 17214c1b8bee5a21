using DarwinGrid.Training.Data;
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
            else if (spec.Name == LlamaTensorLayout.RopeFrequencies) FillLlama31RopeFactors(values);
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
            writer.AddTensor(spec.Name, spec.Dimensions, weights[spec.Name], spec.IsNorm || spec.IsConstant ? GgmlType.F32 : type);
        writer.WriteTo(path);
    }

    /// <summary>
    /// A random model of any size written tensor by tensor in F16 or F32 (matrices uniform with the
    /// given standard deviation, norms 1), never holding more than a slice of one tensor: a 7B-shaped
    /// model (~13.5 GB in F16) on a machine with less memory than its F32 copy would need.
    /// </summary>
    public static void WriteStreamed(string path, LlamaHyperparameters h, Vocabulary vocabulary, int seed, GgmlType type = GgmlType.F16,
        string modelName = "darwingrid-random", float std = 0.02f)
    {
        if (type is not (GgmlType.F16 or GgmlType.F32)) throw new ArgumentException($"Streamed random models are F16 or F32, not {type}.");
        var writer = LlamaGguf.CreateWriter(h, vocabulary, modelName);
        var index = 0;
        foreach (var spec in LlamaTensorLayout.Enumerate(h))
        {
            var tensorSeed = HashCode.Combine(seed, index++);
            var stored = spec.IsNorm || spec.IsConstant ? GgmlType.F32 : type;
            writer.AddTensor(new GgufTensorToWrite(spec.Name, spec.Dimensions, stored, ReadOnlyMemory<byte>.Empty)
            {
                Producer = stream => WriteRandom(stream, spec, stored, tensorSeed, std),
            });
        }
        writer.WriteTo(path);
    }

    private static void WriteRandom(Stream stream, LlamaTensorSpec spec, GgmlType type, int seed, float std)
    {
        const int slice = 1 << 20;
        var random = new Random(seed);
        // Uniform on [-a, a] has standard deviation a / sqrt(3).
        var half = std * MathF.Sqrt(3f);
        if (type == GgmlType.F16 && !spec.IsNorm && !spec.IsConstant)
        {
            // 6.7 billion draws: random 16-bit indices into a table of 65,536 evenly spaced F16 values
            // of [-a, a] (a uniform distribution on that grid) instead of a float draw and conversion each.
            var grid = new ushort[65536];
            for (var i = 0; i < grid.Length; i++) grid[i] = BitConverter.HalfToUInt16Bits((Half)(((i + 0.5f) / 32768f - 1f) * half));
            // A seeded System.Random fills bytes one draw at a time; SplitMix64 gives four indices per draw.
            var bits = new SplitMix64Random((ulong)seed);
            var draws = new ushort[(int)Math.Min(slice, spec.ElementCount)];
            for (long done = 0; done < spec.ElementCount; done += draws.Length)
            {
                var span = draws.AsSpan(0, (int)Math.Min(draws.Length, spec.ElementCount - done));
                for (var i = 0; i < span.Length; i += 4)
                {
                    var r = bits.NextUInt64();
                    for (var j = i; j < Math.Min(i + 4, span.Length); j++, r >>= 16) span[j] = grid[(ushort)r];
                }
                stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(span));
            }
            return;
        }
        var values = new float[(int)Math.Min(slice, spec.ElementCount)];
        for (long done = 0; done < spec.ElementCount; done += values.Length)
        {
            var count = (int)Math.Min(values.Length, spec.ElementCount - done);
            var span = values.AsSpan(0, count);
            if (spec.IsNorm) span.Fill(1f);
            else if (spec.Name == LlamaTensorLayout.RopeFrequencies) FillLlama31RopeFactors(values);
            else
                for (var i = 0; i < count; i++) span[i] = (2f * random.NextSingle() - 1f) * half;
            stream.Write(TensorData.FromFloats(span, type));
        }
    }

    /// <summary>The values of a norm (ones) or of the rope_freqs tensor (LLaMA-3.1's factors).</summary>
    internal static float[] ConstantValues(LlamaTensorSpec spec)
    {
        var values = new float[spec.ElementCount];
        if (spec.Name == LlamaTensorLayout.RopeFrequencies) FillLlama31RopeFactors(values);
        else Array.Fill(values, 1f);
        return values;
    }

    /// <summary>
    /// LLaMA-3.1's factors (as its convert script computes them for factor 8, low/high frequency
    /// factors 1 and 4, original context 8192): 1 for the fast dimensions, 8 for the slow ones, a
    /// smooth ramp between. Laid over however many dimensions the head has.
    /// </summary>
    private static void FillLlama31RopeFactors(float[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var t = values.Length == 1 ? 0f : (float)i / (values.Length - 1);
            values[i] = t < 0.25f ? 1f : t > 0.75f ? 8f : 1f + 7f * (t - 0.25f) / 0.5f;
        }
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
