using System.Runtime.InteropServices;
using System.Text;

namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// Greedy (or seeded) decoding that only accepts tokens keeping the text a valid number prefix;
/// newline/EOS are accepted only once the number is complete. After <c>maxTokens</c> tokens it
/// looks at one more step: unless the model then ends the number, the answer is
/// <see cref="Truncated"/> (the number would be wrong, e.g. by a lost exponent), never a value.
/// </summary>
public sealed class NumericDecoder(TokenPieces pieces, int maxTokens, TokenPicker picker) : ResponseDecoder
{
    private readonly StringBuilder _text = new();
    private readonly List<int> _candidates = new(64);
    private NumberScanner _scanner;

    public override string Text => _text.ToString();

    /// <summary>True when the cap stopped the answer before the model ended it.</summary>
    public bool Truncated { get; private set; }

    public override string? Error => Truncated ? NumericGrammar.CapReached(maxTokens, Text) : null;

    public override int Step(ReadOnlySpan<float> logits)
    {
        if (NumericGrammar.Allowed(pieces, _scanner, _candidates))
        {
            _candidates.AddRange(pieces.NewlineTokens);
            _candidates.AddRange(pieces.EndOfGenerationTokens);
        }
        var chosen = picker.Pick(logits, CollectionsMarshal.AsSpan(_candidates));
        if (chosen < 0 || NumericGrammar.IsTerminator(pieces, chosen)) return Done;
        if (GeneratedTokens >= maxTokens)
        {
            Truncated = true;
            return Done;
        }
        _scanner.TryAdvance(pieces.AsciiText(chosen)!);
        _text.Append(pieces.AsciiText(chosen));
        GeneratedTokens++;
        return chosen;
    }
}
