using System.Text;

namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// Greedy (or seeded) decoding that only accepts tokens keeping the text a valid number prefix;
/// newline/EOS are accepted only once the number is complete, so the answer always parses
/// unless the token cap cuts it short.
/// </summary>
public sealed class NumericDecoder(TokenPieces pieces, int maxTokens, TokenPicker picker) : ResponseDecoder
{
    private readonly StringBuilder _text = new();
    private readonly List<int> _candidates = new(64);
    private NumberScanner _scanner;

    public override string Text => _text.ToString();

    public override int Step(ReadOnlySpan<float> logits)
    {
        _candidates.Clear();
        foreach (var token in pieces.NumericTokens)
        {
            var scanner = _scanner;
            if (scanner.TryAdvance(pieces.AsciiText(token)!)) _candidates.Add(token);
        }
        if (_scanner.IsComplete)
        {
            _candidates.AddRange(pieces.NewlineTokens);
            _candidates.AddRange(pieces.EndOfGenerationTokens);
        }
        var chosen = picker.Pick(logits, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_candidates));
        if (chosen < 0 || pieces.IsEndOfGeneration(chosen) || pieces.Bytes(chosen) is [(byte)'\n', ..]) return Done;
        _scanner.TryAdvance(pieces.AsciiText(chosen)!);
        _text.Append(pieces.AsciiText(chosen));
        GeneratedTokens++;
        return GeneratedTokens >= maxTokens ? Done : chosen;
    }
}
