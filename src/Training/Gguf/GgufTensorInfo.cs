namespace DarwinGrid.Training.Gguf;

/// <summary>
/// A tensor's entry in a GGUF header. <see cref="Dimensions"/> are in ggml order (ne[0] is the
/// fastest-varying), <see cref="Offset"/> is relative to the start of the data section.
/// </summary>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, GgmlType Type, ulong Offset)
{
    public long ElementCount => Dimensions.Aggregate(1L, (product, d) => checked(product * d));

    public long ByteCount => GgmlTypeSizes.ByteCount(Type, ElementCount);

    public string Shape => $"[{string.Join(", ", Dimensions)}]";
}
