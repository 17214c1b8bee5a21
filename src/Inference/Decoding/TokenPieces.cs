using System.Text;
using LLama;
using LLama.Native;

namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// The text of every token of a model, looked up once: decoding reads it on every step, and
/// native calls per candidate token would dominate the constrained search.
/// </summary>
public sealed class TokenPieces
{
    private const string NumberCharacters = " +-.0123456789eE";

    private readonly byte[][] _bytes;
    private readonly string?[] _asciiText;
    private readonly bool[] _endOfGeneration;

    public TokenPieces(LLamaWeights weights)
    {
        var model = weights.NativeHandle;
        var vocab = weights.Vocab;
        Count = vocab.Count;
        _bytes = new byte[Count][];
        _asciiText = new string?[Count];
        _endOfGeneration = new bool[Count];
        Span<byte> buffer = stackalloc byte[256];
        var numeric = new List<int>();
        var newline = new List<int>();
        for (var id = 0; id < Count; id++)
        {
            var token = (LLamaToken)id;
            var length = (int)model.TokenToSpan(token, buffer, 0, false);
            var bytes = length <= buffer.Length ? buffer[..length].ToArray() : ReadLong(model, token, length);
            _bytes[id] = bytes;
            _endOfGeneration[id] = token.IsEndOfGeneration(vocab);
            if (bytes.All(b => b < 128)) _asciiText[id] = Encoding.ASCII.GetString(bytes);
            if (bytes.Length > 0 && bytes.All(b => NumberCharacters.Contains((char)b))) numeric.Add(id);
            if (bytes.Length > 0 && bytes[0] == (byte)'\n') newline.Add(id);
        }
        NumericTokens = numeric.ToArray();
        NewlineTokens = newline.ToArray();
        EndOfGenerationTokens = Enumerable.Range(0, Count).Where(i => _endOfGeneration[i]).ToArray();
    }

    public int Count { get; }

    /// <summary>Tokens made only of number characters (candidates for constrained numeric decoding).</summary>
    public IReadOnlyList<int> NumericTokens { get; }

    /// <summary>Tokens whose text starts with a newline (the answer's end).</summary>
    public IReadOnlyList<int> NewlineTokens { get; }

    public IReadOnlyList<int> EndOfGenerationTokens { get; }

    public ReadOnlySpan<byte> Bytes(int token) => _bytes[token];

    /// <summary>The token's text if it is pure ASCII, else null.</summary>
    public string? AsciiText(int token) => _asciiText[token];

    public bool IsEndOfGeneration(int token) => _endOfGeneration[token];

    public string Decode(IEnumerable<int> tokens)
    {
        var bytes = new List<byte>();
        foreach (var t in tokens) bytes.AddRange(_bytes[t]);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static byte[] ReadLong(SafeLlamaModelHandle model, LLamaToken token, int length)
    {
        var bytes = new byte[length];
        model.TokenToSpan(token, bytes, 0, false);
        return bytes;
    }
}
