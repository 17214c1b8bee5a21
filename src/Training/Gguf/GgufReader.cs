using System.Text;

namespace DarwinGrid.Training.Gguf;

/// <summary>
/// Reads a GGUF v2/v3 header (metadata and tensor infos) and gives tensor data on demand, so a
/// multi-gigabyte model is not loaded just to inspect it.
/// </summary>
public sealed class GgufFile : IDisposable
{
    private readonly FileStream _stream;

    private GgufFile(string path, FileStream stream, uint version,
        IReadOnlyDictionary<string, GgufValue> metadata, IReadOnlyList<GgufTensorInfo> tensors, long dataStart, uint alignment)
    {
        Path = path;
        _stream = stream;
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        DataStart = dataStart;
        Alignment = alignment;
        TensorsByName = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    public string Path { get; }
    public uint Version { get; }
    public IReadOnlyDictionary<string, GgufValue> Metadata { get; }
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }
    public IReadOnlyDictionary<string, GgufTensorInfo> TensorsByName { get; }
    public long DataStart { get; }
    public uint Alignment { get; }

    public static GgufFile Open(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Model file '{path}' does not exist.", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try
        {
            return ReadHeader(path, stream);
        }
        catch (EndOfStreamException e)
        {
            stream.Dispose();
            throw new GgufFormatException($"'{path}' is truncated: the GGUF header ends early.", e);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>True when the file starts with the GGUF magic (cheap check before a full open).</summary>
    public static bool HasGgufMagic(string path)
    {
        using var stream = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && BitConverter.ToUInt32(magic) == GgufFormat.Magic;
    }

    public GgufValue? Find(string key) => Metadata.TryGetValue(key, out var value) ? value : null;

    public GgufValue Get(string key) => Find(key) ?? throw new GgufFormatException($"'{Path}' has no metadata key '{key}'.");

    public GgufTensorInfo Tensor(string name) =>
        TensorsByName.TryGetValue(name, out var info) ? info : throw new GgufFormatException($"'{Path}' has no tensor '{name}'.");

    public byte[] ReadTensorBytes(string name)
    {
        var info = Tensor(name);
        var bytes = new byte[checked((int)info.ByteCount)];
        _stream.Position = DataStart + (long)info.Offset;
        _stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>
    /// Streams a tensor's stored bytes (any type) to <paramref name="sink"/> in pieces of at most
    /// <paramref name="chunkBytes"/>, with each piece's offset, so a multi-gigabyte tensor never needs
    /// one managed array.
    /// </summary>
    public void CopyTensorBytes(string name, Action<ReadOnlySpan<byte>, long> sink, int chunkBytes = 1 << 24)
    {
        var info = Tensor(name);
        var buffer = new byte[(int)Math.Min(chunkBytes, Math.Max(1, info.ByteCount))];
        _stream.Position = DataStart + (long)info.Offset;
        for (long done = 0; done < info.ByteCount;)
        {
            var count = (int)Math.Min(buffer.Length, info.ByteCount - done);
            _stream.ReadExactly(buffer, 0, count);
            sink(buffer.AsSpan(0, count), done);
            done += count;
        }
    }

    /// <summary>Tensor data as floats (F32, F16 and BF16 are converted; quantized types are refused).</summary>
    public float[] ReadTensorAsFloats(string name)
    {
        var info = Tensor(name);
        var raw = ReadTensorBytes(name);
        return TensorData.ToFloats(raw, info.Type, info.Name);
    }

    public void Dispose() => _stream.Dispose();

    private static GgufFile ReadHeader(string path, FileStream stream)
    {
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (stream.Length < 4)
            throw new GgufFormatException($"'{path}' is not a GGUF model: it is only {stream.Length} bytes long.");
        var magic = reader.ReadUInt32();
        if (magic != GgufFormat.Magic)
            throw new GgufFormatException(
                $"'{path}' is not a GGUF model: it starts with bytes {Convert.ToHexString(BitConverter.GetBytes(magic))} " +
                $"('{Printable(BitConverter.GetBytes(magic))}'), not 'GGUF'.");
        var version = reader.ReadUInt32();
        if (version is not (2 or 3))
            throw new GgufFormatException($"'{path}' is GGUF version {version}; only versions 2 and 3 are supported.");

        var tensorCount = CheckedCount(reader.ReadInt64(), GgufFormat.MaxTensorCount, "tensor count", path);
        var metadataCount = CheckedCount(reader.ReadInt64(), GgufFormat.MaxMetadataCount, "metadata count", path);

        var metadata = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
        for (long i = 0; i < metadataCount; i++)
        {
            var key = ReadString(reader, path);
            var type = (GgufValueType)reader.ReadUInt32();
            metadata[key] = ReadValue(reader, type, path, key);
        }

        var tensors = new List<GgufTensorInfo>((int)tensorCount);
        for (long i = 0; i < tensorCount; i++)
        {
            var name = ReadString(reader, path);
            var dims = reader.ReadUInt32();
            if (dims is 0 or > 4)
                throw new GgufFormatException($"'{path}': tensor '{name}' has {dims} dimensions (1 to 4 allowed).");
            var shape = new long[dims];
            for (var d = 0; d < dims; d++)
                shape[d] = CheckedCount(reader.ReadInt64(), long.MaxValue, $"dimension {d} of tensor '{name}'", path);
            var type = (GgmlType)reader.ReadUInt32();
            var offset = reader.ReadUInt64();
            tensors.Add(new GgufTensorInfo(name, shape, type, offset));
        }

        var alignment = metadata.TryGetValue(GgufFormat.AlignmentKey, out var a) ? (uint)a.AsInt64() : GgufFormat.DefaultAlignment;
        if (alignment == 0 || (alignment & (alignment - 1)) != 0)
            throw new GgufFormatException($"'{path}': alignment {alignment} is not a power of two.");
        var dataStart = GgufFormat.Align(stream.Position, alignment);
        foreach (var t in tensors)
        {
            if (dataStart + (long)t.Offset + t.ByteCount > stream.Length)
                throw new GgufFormatException($"'{path}' is truncated: tensor '{t.Name}' {t.Shape} {t.Type} extends past the end of the file.");
        }
        return new GgufFile(path, stream, version, metadata, tensors, dataStart, alignment);
    }

    private static long CheckedCount(long value, long max, string what, string path) =>
        value >= 0 && value <= max ? value : throw new GgufFormatException($"'{path}': {what} {value} is out of range (corrupt header?).");

    private static string ReadString(BinaryReader reader, string path)
    {
        var length = CheckedCount(reader.ReadInt64(), GgufFormat.MaxStringBytes, "string length", path);
        var bytes = reader.ReadBytes((int)length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }

    private static GgufValue ReadValue(BinaryReader reader, GgufValueType type, string path, string key) => type switch
    {
        GgufValueType.UInt8 => GgufValue.Of(reader.ReadByte()),
        GgufValueType.Int8 => GgufValue.Of(reader.ReadSByte()),
        GgufValueType.UInt16 => GgufValue.Of(reader.ReadUInt16()),
        GgufValueType.Int16 => GgufValue.Of(reader.ReadInt16()),
        GgufValueType.UInt32 => GgufValue.Of(reader.ReadUInt32()),
        GgufValueType.Int32 => GgufValue.Of(reader.ReadInt32()),
        GgufValueType.Float32 => GgufValue.Of(reader.ReadSingle()),
        GgufValueType.Bool => GgufValue.Of(reader.ReadByte() != 0),
        GgufValueType.String => GgufValue.Of(ReadString(reader, path)),
        GgufValueType.UInt64 => GgufValue.Of(reader.ReadUInt64()),
        GgufValueType.Int64 => GgufValue.Of(reader.ReadInt64()),
        GgufValueType.Float64 => GgufValue.Of(reader.ReadDouble()),
        GgufValueType.Array => ReadArray(reader, path, key),
        _ => throw new GgufFormatException($"'{path}': metadata key '{key}' has unknown value type {(uint)type}."),
    };

    private static GgufValue ReadArray(BinaryReader reader, string path, string key)
    {
        var elementType = (GgufValueType)reader.ReadUInt32();
        var count = (int)CheckedCount(reader.ReadInt64(), GgufFormat.MaxArrayLength, $"array length of '{key}'", path);
        Array values = elementType switch
        {
            GgufValueType.UInt8 => reader.ReadBytes(count),
            GgufValueType.Int8 => Fill(count, () => reader.ReadSByte()),
            GgufValueType.UInt16 => Fill(count, () => reader.ReadUInt16()),
            GgufValueType.Int16 => Fill(count, () => reader.ReadInt16()),
            GgufValueType.UInt32 => Fill(count, () => reader.ReadUInt32()),
            GgufValueType.Int32 => Fill(count, () => reader.ReadInt32()),
            GgufValueType.Float32 => Fill(count, () => reader.ReadSingle()),
            GgufValueType.Bool => Fill(count, () => reader.ReadByte() != 0),
            GgufValueType.String => Fill(count, () => ReadString(reader, path)),
            GgufValueType.UInt64 => Fill(count, () => reader.ReadUInt64()),
            GgufValueType.Int64 => Fill(count, () => reader.ReadInt64()),
            GgufValueType.Float64 => Fill(count, () => reader.ReadDouble()),
            _ => throw new GgufFormatException($"'{path}': array '{key}' has unsupported element type {(uint)elementType}."),
        };
        return new GgufValue(GgufValueType.Array, values, elementType);
    }

    private static T[] Fill<T>(int count, Func<T> read)
    {
        var values = new T[count];
        for (var i = 0; i < count; i++) values[i] = read();
        return values;
    }

    private static string Printable(byte[] bytes) =>
        new(bytes.Select(b => b is >= 32 and < 127 ? (char)b : '.').ToArray());
}
