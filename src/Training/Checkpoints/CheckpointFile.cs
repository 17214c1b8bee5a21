using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace DarwinGrid.Training.Checkpoints;

/// <summary>What a checkpoint file holds: a JSON header and named F32 tensors.</summary>
public sealed record CheckpointContents(string HeaderJson, IReadOnlyDictionary<string, float[]> Tensors);

/// <summary>
/// The checkpoint container: <c>"DGCKPT\0\0"</c>, format version (int32), header length (int64), the
/// UTF-8 JSON header, tensor count (int32), then per tensor its name (int32 length + UTF-8) and values
/// (int64 count + little-endian F32), and last the SHA-256 of everything before it. A truncated or
/// altered file fails the checksum and is reported by name; files are written with
/// <see cref="AtomicFile"/> (partial file, fsync, rename).
/// </summary>
public static class CheckpointFile
{
    public const int FormatVersion = 1;
    private const int HashBytes = 32;
    private static ReadOnlySpan<byte> Magic => "DGCKPT\0\0"u8;

    public static void Write(string path, string headerJson, IEnumerable<KeyValuePair<string, float[]>> tensors)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("Checkpoints are written on little-endian machines only.");
        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes)
            {
                hash.AppendData(bytes);
                stream.Write(bytes);
            }
            Span<byte> number = stackalloc byte[8];
            Put(Magic);
            BinaryPrimitives.WriteInt32LittleEndian(number, FormatVersion);
            Put(number[..4]);
            var header = Encoding.UTF8.GetBytes(headerJson);
            BinaryPrimitives.WriteInt64LittleEndian(number, header.Length);
            Put(number);
            Put(header);
            var list = tensors.ToList();
            BinaryPrimitives.WriteInt32LittleEndian(number, list.Count);
            Put(number[..4]);
            foreach (var (name, values) in list)
            {
                var nameBytes = Encoding.UTF8.GetBytes(name);
                BinaryPrimitives.WriteInt32LittleEndian(number, nameBytes.Length);
                Put(number[..4]);
                Put(nameBytes);
                BinaryPrimitives.WriteInt64LittleEndian(number, values.LongLength);
                Put(number);
                Put(MemoryMarshal.AsBytes(values.AsSpan()));
            }
            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a checkpoint, is truncated or corrupt (named in the message).</exception>
    public static CheckpointContents Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no checkpoint at '{path}'.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var length = stream.Length;
        if (length < Magic.Length + 4 + 8 + 4 + HashBytes)
            throw Corrupt(path, $"it has only {length} bytes (truncated)");
        Verify(stream, path, length);

        stream.Position = 0;
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        if (!reader.ReadBytes(Magic.Length).AsSpan().SequenceEqual(Magic)) throw Corrupt(path, "it does not start with the checkpoint signature");
        var version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new InvalidDataException($"The checkpoint '{path}' has format version {version}; this build reads version {FormatVersion}.");
        var body = length - HashBytes;
        var headerLength = reader.ReadInt64();
        if (headerLength < 0 || stream.Position + headerLength > body) throw Corrupt(path, "its header length is out of range");
        var header = Encoding.UTF8.GetString(reader.ReadBytes((int)headerLength));
        var count = reader.ReadInt32();
        var tensors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var nameLength = reader.ReadInt32();
            if (nameLength <= 0 || stream.Position + nameLength > body) throw Corrupt(path, $"tensor {i}'s name length is out of range");
            var name = Encoding.UTF8.GetString(reader.ReadBytes(nameLength));
            var values = reader.ReadInt64();
            if (values < 0 || stream.Position + values * sizeof(float) > body) throw Corrupt(path, $"tensor '{name}' runs past the end of the file");
            var data = new float[values];
            stream.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan()));
            if (!tensors.TryAdd(name, data)) throw Corrupt(path, $"tensor '{name}' appears twice");
        }
        if (stream.Position != body) throw Corrupt(path, "it has bytes after the last tensor");
        return new CheckpointContents(header, tensors);
    }

    private static void Verify(Stream stream, string path, long length)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        var remaining = length - HashBytes;
        stream.Position = 0;
        while (remaining > 0)
        {
            var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
            if (read == 0) throw Corrupt(path, "it ended while being read");
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }
        var expected = new byte[HashBytes];
        stream.ReadExactly(expected);
        if (!hash.GetHashAndReset().AsSpan().SequenceEqual(expected))
            throw Corrupt(path, "its SHA-256 checksum does not match its contents (truncated or damaged)");
    }

    private static InvalidDataException Corrupt(string path, string reason) =>
        new($"The checkpoint '{path}' is corrupt: {reason}. Delete it to start the run over, or restore a copy.");
}
