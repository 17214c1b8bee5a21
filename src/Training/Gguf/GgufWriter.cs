using System.Text;
using DarwinGrid.Domain.Files;

namespace DarwinGrid.Training.Gguf;

/// <summary>A tensor to write: ggml-order dimensions, element type and its raw bytes.</summary>
public sealed record GgufTensorToWrite(string Name, long[] Dimensions, GgmlType Type, ReadOnlyMemory<byte> Data)
{
    /// <summary>
    /// Writes the tensor's bytes straight to the file instead of <see cref="Data"/> (which is then
    /// empty): a 7B model is written tensor by tensor without holding it in memory.
    /// </summary>
    public Action<Stream>? Producer { get; init; }

    public long ByteCount => Producer is null ? Data.Length : GgmlTypeSizes.ByteCount(Type, Dimensions.Aggregate(1L, (p, d) => p * d));

    public static GgufTensorToWrite FromFloats(string name, long[] dimensions, ReadOnlySpan<float> values, GgmlType type = GgmlType.F32)
    {
        var expected = dimensions.Aggregate(1L, (p, d) => p * d);
        if (values.Length != expected)
            throw new ArgumentException($"Tensor '{name}' [{string.Join(", ", dimensions)}] needs {expected} values, got {values.Length}.");
        return new(name, dimensions, type, TensorData.FromFloats(values, type));
    }
}

/// <summary>
/// Collects metadata (in insertion order) and tensors, then writes a GGUF v3 file. Files are
/// written to a temporary name and moved into place, so a crash never leaves a half-written model.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<GgufTensorToWrite> _tensors = [];
    private readonly HashSet<string> _tensorNames = new(StringComparer.Ordinal);

    public GgufWriter(uint alignment = GgufFormat.DefaultAlignment)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            throw new ArgumentException($"Alignment {alignment} is not a power of two.", nameof(alignment));
        Alignment = alignment;
        if (alignment != GgufFormat.DefaultAlignment)
            Set(GgufFormat.AlignmentKey, GgufValue.Of(alignment));
    }

    public uint Alignment { get; }

    public GgufWriter Set(string key, GgufValue value)
    {
        var index = _metadata.FindIndex(kv => kv.Key == key);
        if (index >= 0) _metadata[index] = new(key, value);
        else _metadata.Add(new(key, value));
        return this;
    }

    public GgufWriter AddTensor(GgufTensorToWrite tensor)
    {
        if (!_tensorNames.Add(tensor.Name))
            throw new ArgumentException($"Tensor '{tensor.Name}' was added twice.");
        var expectedBytes = GgmlTypeSizes.ByteCount(tensor.Type, tensor.Dimensions.Aggregate(1L, (p, d) => p * d));
        if (tensor.Producer is null && tensor.Data.Length != expectedBytes)
            throw new ArgumentException($"Tensor '{tensor.Name}' has {tensor.Data.Length} bytes, its shape and type need {expectedBytes}.");
        _tensors.Add(tensor);
        return this;
    }

    public GgufWriter AddTensor(string name, long[] dimensions, ReadOnlySpan<float> values, GgmlType type = GgmlType.F32) =>
        AddTensor(GgufTensorToWrite.FromFloats(name, dimensions, values, type));

    public void WriteTo(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, PrivateFiles.CreateOptions(FileMode.CreateNew, bufferSize: 1 << 16)))
            {
                WriteTo(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    public void WriteTo(Stream stream)
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(GgufFormat.Magic);
        writer.Write(GgufFormat.Version);
        writer.Write((long)_tensors.Count);
        writer.Write((long)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)value.Type);
            WriteValue(writer, value);
        }

        long offset = 0;
        foreach (var tensor in _tensors)
        {
            WriteString(writer, tensor.Name);
            writer.Write((uint)tensor.Dimensions.Length);
            foreach (var d in tensor.Dimensions) writer.Write(d);
            writer.Write((uint)tensor.Type);
            writer.Write((ulong)offset);
            offset = GgufFormat.Align(offset + tensor.ByteCount, Alignment);
        }

        Pad(writer, stream);
        foreach (var tensor in _tensors)
        {
            if (tensor.Producer is { } produce)
            {
                writer.Flush();
                var start = stream.Position;
                produce(stream);
                if (stream.Position - start != tensor.ByteCount)
                    throw new InvalidOperationException($"Tensor '{tensor.Name}' wrote {stream.Position - start} bytes; its shape and type need {tensor.ByteCount}.");
            }
            else
            {
                writer.Write(tensor.Data.Span);
            }
            Pad(writer, stream);
        }
    }

    private void Pad(BinaryWriter writer, Stream stream)
    {
        writer.Flush();
        var padding = GgufFormat.Align(stream.Position, Alignment) - stream.Position;
        for (var i = 0; i < padding; i++) writer.Write((byte)0);
    }

    private static void WriteString(BinaryWriter writer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        writer.Write((long)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufValue value)
    {
        switch (value.Value)
        {
            case byte v: writer.Write(v); break;
            case sbyte v: writer.Write(v); break;
            case ushort v: writer.Write(v); break;
            case short v: writer.Write(v); break;
            case uint v: writer.Write(v); break;
            case int v: writer.Write(v); break;
            case float v: writer.Write(v); break;
            case bool v: writer.Write((byte)(v ? 1 : 0)); break;
            case string v: WriteString(writer, v); break;
            case ulong v: writer.Write(v); break;
            case long v: writer.Write(v); break;
            case double v: writer.Write(v); break;
            case Array array: WriteArray(writer, array, value.ElementType ?? throw new ArgumentException("Array value without element type.")); break;
            default: throw new ArgumentException($"Unsupported GGUF metadata value of CLR type {value.Value.GetType().Name}.");
        }
    }

    private static void WriteArray(BinaryWriter writer, Array array, GgufValueType elementType)
    {
        writer.Write((uint)elementType);
        writer.Write((long)array.Length);
        foreach (var element in array)
            WriteValue(writer, new GgufValue(elementType, element!));
    }
}
