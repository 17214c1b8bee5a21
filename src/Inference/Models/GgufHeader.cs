using System.Text;

namespace DarwinGrid.Inference.Models;

/// <summary>
/// The few header facts the engine checks before handing a file to llama.cpp, whose own failure
/// is a bare "failed to load". Reads only the key/value section; arrays are skipped, not parsed.
/// (The full GGUF reader lives with the trainer; the engine deliberately does not depend on it.)
/// </summary>
public sealed record GgufHeader(uint Version, ulong TensorCount, IReadOnlyDictionary<string, string> StringMetadata)
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const int MaxStringLength = 1 << 24;

    public string? Architecture => StringMetadata.GetValueOrDefault("general.architecture");

    /// <summary>"model" (or absent) for models, "adapter" for LoRA adapters.</summary>
    public string? FileType => StringMetadata.GetValueOrDefault("general.type");

    public static GgufHeader Read(string path)
    {
        if (!File.Exists(path)) throw new ModelFileException(path, "the file does not exist.");
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new BinaryReader(stream, Encoding.UTF8);
            if (stream.Length < 24) throw Invalid(path, $"it is {stream.Length} bytes long, too short for a GGUF header");
            var magic = reader.ReadUInt32();
            if (magic != Magic) throw Invalid(path, $"it does not start with the GGUF magic (found bytes {Convert.ToHexString(BitConverter.GetBytes(magic))})");
            var version = reader.ReadUInt32();
            if (version is < 2 or > 3) throw Invalid(path, $"GGUF version {version} is not supported (2 or 3 expected)");
            var tensorCount = reader.ReadUInt64();
            var keyCount = reader.ReadUInt64();
            var strings = new Dictionary<string, string>(StringComparer.Ordinal);
            for (ulong i = 0; i < keyCount; i++)
            {
                var key = ReadString(reader, path);
                var type = reader.ReadUInt32();
                if (type == StringType) strings[key] = ReadString(reader, path);
                else SkipValue(reader, type, path, key);
            }
            return new GgufHeader(version, tensorCount, strings);
        }
        catch (EndOfStreamException e)
        {
            throw new ModelFileException(path, "the GGUF header is truncated.", e);
        }
    }

    private const uint StringType = 8;
    private const uint ArrayType = 9;

    private static int ScalarSize(uint type) => type switch
    {
        0 or 1 or 7 => 1,   // u8, i8, bool
        2 or 3 => 2,        // u16, i16
        4 or 5 or 6 => 4,   // u32, i32, f32
        10 or 11 or 12 => 8, // u64, i64, f64
        _ => -1,
    };

    private static void SkipValue(BinaryReader reader, uint type, string path, string key)
    {
        if (type == ArrayType)
        {
            var elementType = reader.ReadUInt32();
            var count = reader.ReadUInt64();
            if (elementType == StringType)
            {
                for (ulong j = 0; j < count; j++) SkipBytes(reader, reader.ReadUInt64(), path);
                return;
            }
            var size = ScalarSize(elementType);
            if (size < 0) throw Invalid(path, $"metadata '{key}' is an array of unknown type {elementType}");
            SkipBytes(reader, count * (ulong)size, path);
            return;
        }
        var scalar = ScalarSize(type);
        if (scalar < 0) throw Invalid(path, $"metadata '{key}' has unknown value type {type}");
        SkipBytes(reader, (ulong)scalar, path);
    }

    private static void SkipBytes(BinaryReader reader, ulong count, string path)
    {
        var stream = reader.BaseStream;
        if (count > (ulong)(stream.Length - stream.Position)) throw new EndOfStreamException();
        stream.Seek((long)count, SeekOrigin.Current);
    }

    private static string ReadString(BinaryReader reader, string path)
    {
        var length = reader.ReadUInt64();
        if (length > (ulong)(reader.BaseStream.Length - reader.BaseStream.Position)) throw new EndOfStreamException();
        if (length > MaxStringLength) throw Invalid(path, $"a metadata string claims {length} bytes");
        return Encoding.UTF8.GetString(reader.ReadBytes(checked((int)length)));
    }

    private static ModelFileException Invalid(string path, string reason) => new(path, $"not a valid GGUF file: {reason}.");
}
