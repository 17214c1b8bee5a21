using System.Buffers.Binary;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Models;

/// <summary>
/// A random LLaMA written directly in llama.cpp's Q4_K_M mix (Q4_K matrices; Q6_K for the output head
/// and for attn_v / ffn_down in the layers llama.cpp gives more bits), block by block with random
/// codes: a 7B shape (~3.9 GB) without the 13.5 GB F16 intermediate and the hour llama.cpp's quantizer
/// takes over it on two busy cores. For measuring speed and memory; the weights mean nothing.
/// </summary>
public static class RandomQ4KMModel
{
    /// <summary>ggml's <c>LLAMA_FTYPE_MOSTLY_Q4_K_M</c>.</summary>
    private const uint MostlyQ4KM = 15;

    public static void Write(string path, LlamaHyperparameters h, Vocabulary vocabulary, int seed, string modelName = "darwingrid-random", float std = 0.02f)
    {
        h.Validated();
        if (h.EmbeddingLength % 256 != 0 || h.FeedForwardLength % 256 != 0)
            throw new ArgumentException($"K-quants need rows divisible by 256 (embedding {h.EmbeddingLength}, FFN {h.FeedForwardLength}).");
        var writer = new GgufWriter();
        foreach (var (key, value) in LlamaGguf.Metadata(h, vocabulary, modelName))
            writer.Set(key, key == "general.file_type" ? GgufValue.Of(MostlyQ4KM) : value);
        var index = 0;
        foreach (var spec in LlamaTensorLayout.Enumerate(h))
        {
            var tensorSeed = (ulong)HashCode.Combine(seed, index++);
            if (spec.IsNorm || spec.IsConstant)
            {
                var values = RandomLlamaModel.ConstantValues(spec);
                writer.AddTensor(spec.Name, spec.Dimensions, values, GgmlType.F32);
                continue;
            }
            var type = TypeOf(spec.Name, h.BlockCount);
            writer.AddTensor(new GgufTensorToWrite(spec.Name, spec.Dimensions, type, ReadOnlyMemory<byte>.Empty)
            {
                Producer = stream => WriteBlocks(stream, type, spec.ElementCount / 256, tensorSeed, std),
            });
        }
        writer.WriteTo(path);
    }

    /// <summary>llama.cpp's choice for Q4_K_M (<c>llama_tensor_get_type</c>): more bits for the head and some layers' attn_v and ffn_down.</summary>
    public static GgmlType TypeOf(string tensor, int layers)
    {
        if (tensor == LlamaTensorLayout.Output) return GgmlType.Q6_K;
        if (tensor.EndsWith(".attn_v.weight", StringComparison.Ordinal) || tensor.EndsWith(".ffn_down.weight", StringComparison.Ordinal))
        {
            var layer = int.Parse(tensor.Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
            var moreBits = layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
            return moreBits ? GgmlType.Q6_K : GgmlType.Q4_K;
        }
        return GgmlType.Q4_K;
    }

    /// <summary>
    /// Blocks of random codes with a fixed scale chosen for a zero-mean spread of about <paramref name="std"/>:
    /// Q4_K decodes d·sc·q − dmin·m (6-bit sc, m; 4-bit q), zero mean when dmin = 7.5·d, standard deviation ≈ 258·d;
    /// Q6_K decodes d·s·(q − 32) (here s in [−32, 31], 6-bit q), standard deviation ≈ 342·d.
    /// </summary>
    private static void WriteBlocks(Stream stream, GgmlType type, long blocks, ulong seed, float std)
    {
        var (_, blockBytes) = GgmlTypeSizes.Of(type);
        const int blocksPerSlice = 4096;
        var buffer = new byte[blocksPerSlice * blockBytes];
        var bits = new SplitMix64Random(seed);
        var q4d = BitConverter.HalfToUInt16Bits((Half)(std / 258f));
        var q4dmin = BitConverter.HalfToUInt16Bits((Half)(7.5f * std / 258f));
        var q6d = BitConverter.HalfToUInt16Bits((Half)(std / 342f));
        for (long done = 0; done < blocks; done += blocksPerSlice)
        {
            var count = (int)Math.Min(blocksPerSlice, blocks - done);
            // The whole buffer (a multiple of 8 bytes) is refilled; the last slice writes only its blocks.
            for (var i = 0; i < buffer.Length; i += 8)
                BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(i), bits.NextUInt64());
            var span = buffer.AsSpan(0, count * blockBytes);
            for (var b = 0; b < count; b++)
            {
                var block = span.Slice(b * blockBytes, blockBytes);
                if (type == GgmlType.Q4_K)
                {
                    // d, dmin, then 12 bytes of packed 6-bit scales and mins, then 128 bytes of 4-bit codes.
                    BinaryPrimitives.WriteUInt16LittleEndian(block, q4d);
                    BinaryPrimitives.WriteUInt16LittleEndian(block[2..], q4dmin);
                }
                else
                {
                    // 128 bytes low bits, 64 high bits, 16 signed scales, then d.
                    for (var s = 192; s < 208; s++) block[s] = (byte)(sbyte)((block[s] & 0x3F) - 32);
                    BinaryPrimitives.WriteUInt16LittleEndian(block[208..], q6d);
                }
            }
            stream.Write(span);
        }
    }
}
