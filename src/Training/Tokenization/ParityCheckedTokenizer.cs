namespace DarwinGrid.Training.Tokenization;

/// <summary>A text the managed tokenizer encodes differently from llama.cpp; training on it would teach ids the engine never sees.</summary>
public sealed class TokenizerParityException(string text, int[] managed, int[] reference)
    : ArgumentException($"The managed tokenizer and llama.cpp disagree on '{Shorten(text)}' " +
                           $"(first difference at token {managed.AsSpan().CommonPrefixLength(reference)}: {Describe(managed)} vs llama.cpp {Describe(reference)}); " +
                           "refusing to train on token ids inference would not use.")
{
    public string Text { get; } = text;

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings("\\n");
        return line.Length <= 160 ? line : line[..157] + "...";
    }

    private static string Describe(int[] ids) => $"[{string.Join(" ", ids.Take(24))}{(ids.Length > 24 ? " ..." : "")}] ({ids.Length} ids)";
}

/// <summary>
/// The parity gate: a managed tokenizer used for training only where it is proven identical to
/// llama.cpp, text by text. Every text of the run is encoded by both; the first disagreement stops
/// the run with <see cref="TokenizerParityException"/> naming the text.
/// </summary>
public sealed class ParityCheckedTokenizer(ITextTokenizer managed, ITextTokenizer reference) : ITextTokenizer
{
    public int BosId => reference.BosId;

    public int EosId => reference.EosId;

    /// <summary>Texts checked so far.</summary>
    public int Checked { get; private set; }

    public int[] Encode(string text, bool addBos = true) => Same(text, managed.Encode(text, addBos), reference.Encode(text, addBos));

    public int[] EncodeContinuation(string text) => Same(text, managed.EncodeContinuation(text), reference.EncodeContinuation(text));

    private int[] Same(string text, int[] mine, int[] theirs)
    {
        if (!mine.AsSpan().SequenceEqual(theirs)) throw new TokenizerParityException(text, mine, theirs);
        Checked++;
        return theirs;
    }
}
