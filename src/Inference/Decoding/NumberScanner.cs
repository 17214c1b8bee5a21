namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// Incremental recogniser of <c>" "? [+-]? digits ("." digits)? ([eE] [+-]? digits)?</c>, fed one
/// character at a time. A value type so a candidate token can be tried on a copy.
/// </summary>
public struct NumberScanner
{
    private enum Stage : byte { Start, AfterSpace, AfterSign, IntegerDigits, Point, FractionDigits, Exponent, ExponentSign, ExponentDigits }

    private Stage _stage;
    private bool _mantissaHasDigits;

    /// <summary>True when the text so far is a whole number (may stop here).</summary>
    public readonly bool IsComplete => _stage switch
    {
        Stage.IntegerDigits or Stage.FractionDigits or Stage.ExponentDigits => true,
        Stage.Point => _mantissaHasDigits,
        _ => false,
    };

    public bool TryAdvance(char c)
    {
        var isDigit = c is >= '0' and <= '9';
        var next = (_stage, c) switch
        {
            (Stage.Start, ' ') => Stage.AfterSpace,
            (Stage.Start or Stage.AfterSpace, '+' or '-') => Stage.AfterSign,
            (Stage.Start or Stage.AfterSpace or Stage.AfterSign or Stage.IntegerDigits, _) when isDigit => Stage.IntegerDigits,
            (Stage.Start or Stage.AfterSpace or Stage.AfterSign or Stage.IntegerDigits, '.') => Stage.Point,
            (Stage.Point or Stage.FractionDigits, _) when isDigit => Stage.FractionDigits,
            (Stage.IntegerDigits or Stage.Point or Stage.FractionDigits, 'e' or 'E') when _mantissaHasDigits => Stage.Exponent,
            (Stage.Exponent, '+' or '-') => Stage.ExponentSign,
            (Stage.Exponent or Stage.ExponentSign or Stage.ExponentDigits, _) when isDigit => Stage.ExponentDigits,
            _ => (Stage?)null,
        };
        if (next is null) return false;
        if (isDigit && next is Stage.IntegerDigits or Stage.FractionDigits) _mantissaHasDigits = true;
        _stage = next.Value;
        return true;
    }

    /// <summary>Feeds every character; false (and this scanner unchanged) if any is rejected.</summary>
    public bool TryAdvance(ReadOnlySpan<char> text)
    {
        var copy = this;
        foreach (var c in text)
            if (!copy.TryAdvance(c)) return false;
        this = copy;
        return true;
    }

    public static bool IsValidPrefix(string text) => new NumberScanner().TryAdvance(text);

    public static bool IsCompleteNumber(string text)
    {
        var scanner = new NumberScanner();
        return scanner.TryAdvance(text) && scanner.IsComplete;
    }
}
