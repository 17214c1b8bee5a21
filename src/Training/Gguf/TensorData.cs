using System.Runtime.InteropServices;

namespace DarwinGrid.Training.Gguf;

/// <summary>Conversions between float arrays and the raw bytes of F32 / F16 / BF16 tensors.</summary>
public static class TensorData
{
    public static byte[] FromFloats(ReadOnlySpan<float> values, GgmlType type)
    {
        switch (type)
        {
            case GgmlType.F32:
                return MemoryMarshal.AsBytes(values).ToArray();
            case GgmlType.F16:
            {
                var halves = new Half[values.Length];
                for (var i = 0; i < values.Length; i++) halves[i] = (Half)values[i];
                return MemoryMarshal.AsBytes(halves.AsSpan()).ToArray();
            }
            default:
                throw new NotSupportedException($"Writing {type} tensors is not supported (F32 and F16 are).");
        }
    }

    public static float[] ToFloats(ReadOnlySpan<byte> raw, GgmlType type, string tensorName)
    {
        switch (type)
        {
            case GgmlType.F32:
                return MemoryMarshal.Cast<byte, float>(raw).ToArray();
            case GgmlType.F16:
            {
                var halves = MemoryMarshal.Cast<byte, Half>(raw);
                var result = new float[halves.Length];
                for (var i = 0; i < halves.Length; i++) result[i] = (float)halves[i];
                return result;
            }
            case GgmlType.BF16:
            {
                var words = MemoryMarshal.Cast<byte, ushort>(raw);
                var result = new float[words.Length];
                for (var i = 0; i < words.Length; i++) result[i] = BitConverter.Int32BitsToSingle(words[i] << 16);
                return result;
            }
            default:
                throw new NotSupportedException(
                    $"Tensor '{tensorName}' is {type}; only F32, F16 and BF16 tensors can be read as floats (dequantize the model first).");
        }
    }
}
