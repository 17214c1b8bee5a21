namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Recovers byte-level BPE merges from tiktoken ranks as llama.cpp's convert script does: each
/// token of rank r is BPE-encoded from its bytes using only tokens of lower rank; exactly two parts
/// remain, and they are its merge. Merges come out in rank order (llama.cpp's priority order).
/// </summary>
public static class BpeMerges
{
    public static IReadOnlyList<string> Recover(IReadOnlyList<byte[]> ranks)
    {
        var rankOf = new Dictionary<string, int>(ranks.Count, StringComparer.Ordinal);
        for (var i = 0; i < ranks.Count; i++) rankOf[Key(ranks[i])] = i;
        var merges = new List<string>(ranks.Count);
        for (var rank = 0; rank < ranks.Count; rank++)
        {
            var bytes = ranks[rank];
            if (bytes.Length < 2) continue;
            var parts = MergeBelow(Key(bytes), rank, rankOf);
            if (parts.Count != 2)
                throw new InvalidDataException($"Token of rank {rank} ends in {parts.Count} parts, not 2, when merged from lower ranks.");
            merges.Add(ByteLevelText.Encode(Bytes(parts[0])) + " " + ByteLevelText.Encode(Bytes(parts[1])));
        }
        return merges;
    }

    /// <summary>Plain BPE over the bytes: repeatedly merge the adjacent pair of lowest rank below <paramref name="limit"/>.</summary>
    private static List<string> MergeBelow(string token, int limit, Dictionary<string, int> rankOf)
    {
        var parts = token.Select(c => c.ToString()).ToList();
        while (parts.Count > 1)
        {
            var best = -1;
            var bestRank = limit;
            for (var i = 0; i + 1 < parts.Count; i++)
            {
                if (rankOf.TryGetValue(parts[i] + parts[i + 1], out var r) && r < bestRank)
                {
                    bestRank = r;
                    best = i;
                }
            }
            if (best < 0) break;
            parts[best] += parts[best + 1];
            parts.RemoveAt(best + 1);
        }
        return parts;
    }

    /// <summary>Bytes as a string of chars 0-255, a cheap dictionary key.</summary>
    private static string Key(byte[] bytes) => string.Create(bytes.Length, bytes, (span, b) =>
    {
        for (var i = 0; i < b.Length; i++) span[i] = (char)b[i];
    });

    private static byte[] Bytes(string key) => key.Select(c => (byte)c).ToArray();
}
