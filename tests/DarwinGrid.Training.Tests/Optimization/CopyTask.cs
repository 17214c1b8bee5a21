using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tests.Gguf;

namespace DarwinGrid.Training.Tests.Optimization;

/// <summary>
/// A synthetic task only a working transformer learns: "&lt;s&gt; c a f d =" -> "c a f d &lt;/s&gt;".
/// Copying needs attention to earlier positions, so it exercises every block, not just the head.
/// </summary>
internal static class CopyTask
{
    private static readonly int[] Symbols = "abcdefgh".Select(TokenOf).ToArray();
    private static readonly int Separator = TokenOf('=');

    public static List<TrainingRecord> Records(int count, int length, int seed)
    {
        var vocabulary = TinyVocabulary.Create();
        var random = new Random(seed);
        var records = new List<TrainingRecord>();
        for (var i = 0; i < count; i++)
        {
            var text = Enumerable.Range(0, length).Select(_ => Symbols[random.Next(Symbols.Length)]).ToArray();
            records.Add(new TrainingRecord([vocabulary.BosId, .. text, Separator], [.. text, vocabulary.EosId]));
        }
        return records;
    }

    private static int TokenOf(char c)
    {
        var pieces = TinyVocabulary.Create().Pieces;
        for (var i = 0; i < pieces.Count; i++)
        {
            if (pieces[i].Piece == c.ToString()) return i;
        }
        throw new ArgumentException($"'{c}' is not in the tiny vocabulary.");
    }
}
