using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// One pass over a formula string, collecting (element, amount) entries into caller-provided spans so
/// that a parse allocates nothing but its result. Brackets and adduct parts are applied by multiplying
/// the entries they cover once their multiplier is known (the number after the closing bracket, or
/// the coefficient after the adduct dot). The grammar is described on <see cref="CompositionParser"/>.
/// </summary>
internal ref struct FormulaReader
{
    public const int MaxDepth = 32;

    /// <summary>The smallest normal double: amounts and products below it are refused.</summary>
    private const string SmallestAmountText = "2.2250738585072014E-308";

    private readonly ReadOnlySpan<char> _text;
    private readonly Span<byte> _entryElements;
    private readonly Span<double> _entryAmounts;
    private readonly Span<int> _entryPositions;
    private readonly Span<LevelState> _levels;
    private int _pos;
    private int _count;
    private int _depth;

    // True right after an element (with its amount) or a closing bracket (with its multiplier):
    // the only places a formula part may end, so the only places an adduct dot or ')' may follow.
    private bool _afterPart;
    private int _lastAdductSeparator;

    public FormulaReader(ReadOnlySpan<char> text, Span<byte> entryElements, Span<double> entryAmounts,
        Span<int> entryPositions, Span<LevelState> levels)
    {
        _text = text;
        _entryElements = entryElements;
        _entryAmounts = entryAmounts;
        _entryPositions = entryPositions;
        _levels = levels;
        _lastAdductSeparator = -1;
    }

    public readonly int Count => _count;

    /// <summary>Reads the whole text; false with <paramref name="error"/> set when it is not a formula.</summary>
    public bool Read([NotNullWhen(false)] out CompositionParseError? error)
    {
        _levels[0] = new LevelState(0, 0, 1.0, -1, '\0', -1);
        while (_pos < _text.Length)
        {
            if (!Step(_text[_pos], out error))
                return false;
        }
        return Finish(out error);
    }

    private bool Step(char c, [NotNullWhen(false)] out CompositionParseError? error) =>
        c switch
        {
            >= 'A' and <= 'Z' => ReadElement(out error),
            '(' or '[' or '{' => Open(c, out error),
            ')' or ']' or '}' => Close(c, out error),
            '·' or '•' or '∙' or '⋅' or '*' => AdductSeparator(out error),
            '.' => Dot(out error),
            '_' => Underscore(out error),
            _ when char.IsWhiteSpace(c) => Skip(out error),
            >= '0' and <= '9' => Fail(CompositionErrorKind.MisplacedNumber, _pos,
                $"Number at position {_pos + 1} does not follow an element or a closing bracket", out error),
            '-' when _pos + 1 < _text.Length && char.IsAsciiDigit(_text[_pos + 1]) =>
                Fail(CompositionErrorKind.InvalidAmount, _pos,
                    $"Negative amount at position {_pos + 1}: amounts must be positive", out error),
            _ => Fail(CompositionErrorKind.UnexpectedCharacter, _pos,
                $"Unexpected character '{c}' at position {_pos + 1}", out error),
        };

    /// <summary>The collected entries: atomic number, amount and 0-based position of the symbol.</summary>
    public readonly (int AtomicNumber, double Amount, int Position) Entry(int index) =>
        (_entryElements[index], _entryAmounts[index], _entryPositions[index]);

    private bool ReadElement([NotNullWhen(false)] out CompositionParseError? error)
    {
        var start = _pos;
        var end = start + 1;
        while (end < _text.Length && _text[end] is >= 'a' and <= 'z')
            end++;
        var symbol = _text[start..end];
        var z = PeriodicTable.AtomicNumberOf(symbol);
        if (z == 0)
            return Fail(CompositionErrorKind.UnknownElement, start,
                $"Unknown element '{symbol}' at position {start + 1}", out error);
        _pos = end;
        if (!ReadOptionalAmount(out var amount, out error))
            return false;
        _entryElements[_count] = (byte)z;
        _entryAmounts[_count] = amount;
        _entryPositions[_count] = start;
        _count++;
        _afterPart = true;
        return true;
    }

    private bool Open(char c, [NotNullWhen(false)] out CompositionParseError? error)
    {
        if (_depth + 1 >= MaxDepth)
            return Fail(CompositionErrorKind.NestingTooDeep, _pos,
                $"Brackets nested deeper than {MaxDepth - 1} levels at position {_pos + 1}", out error);
        var close = c switch { '(' => ')', '[' => ']', _ => '}' };
        _levels[++_depth] = new LevelState(_count, _count, 1.0, -1, close, _pos);
        _pos++;
        _afterPart = false;
        error = null;
        return true;
    }

    private bool Close(char c, [NotNullWhen(false)] out CompositionParseError? error)
    {
        if (_depth == 0)
            return Fail(CompositionErrorKind.UnbalancedBrackets, _pos,
                $"Closing '{c}' at position {_pos + 1} has no opening bracket", out error);
        var level = _levels[_depth];
        if (c != level.Close)
            return Fail(CompositionErrorKind.MismatchedBrackets, _pos,
                $"Closing '{c}' at position {_pos + 1} does not match '{OpeningOf(level.Close)}' at position {level.OpenPosition + 1}",
                out error);
        if (_count == level.GroupStart)
            return Fail(CompositionErrorKind.EmptyBrackets, level.OpenPosition,
                $"Empty brackets at position {level.OpenPosition + 1}", out error);
        if (!_afterPart)
            return DanglingAdductSeparator(out error);

        _pos++;
        if (!ApplySegmentCoefficient(level, out error))
            return false;
        var multiplierStart = _pos;
        if (!ReadOptionalAmount(out var multiplier, out error) || !Multiply(level.GroupStart, multiplier, multiplierStart, out error))
            return false;
        _depth--;
        _afterPart = true;
        return true;
    }

    /// <summary><c>.</c> outside a number: an adduct dot when a formula part follows (<c>CaCl2.H2O</c>).</summary>
    private bool Dot([NotNullWhen(false)] out CompositionParseError? error)
    {
        var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        if (next is >= '0' and <= '9')
        {
            // "Fe.5" or "CuSO4 .5H2O": a decimal without a leading digit, or a hydrate count? Refuse to guess.
            return Fail(CompositionErrorKind.MisplacedAdductSeparator, _pos,
                $"Ambiguous '.' at position {_pos + 1}: write amounts with a leading digit (0.5) and hydrates with '·' (CuSO4·5H2O)",
                out error);
        }
        return AdductSeparator(out error);
    }

    private bool AdductSeparator([NotNullWhen(false)] out CompositionParseError? error)
    {
        if (!_afterPart)
            return Fail(CompositionErrorKind.MisplacedAdductSeparator, _pos,
                $"Adduct separator '{_text[_pos]}' at position {_pos + 1} does not follow a formula part", out error);
        ref var level = ref _levels[_depth];
        if (!ApplySegmentCoefficient(level, out error))
            return false;
        _lastAdductSeparator = _pos;
        _pos++;
        SkipWhitespace();
        var coefficient = 1.0;
        var coefficientStart = _pos;
        if (_pos < _text.Length && char.IsAsciiDigit(_text[_pos]) && !ReadAmount(out coefficient, out error))
            return false;
        SkipWhitespace();
        level = level with { SegmentStart = _count, SegmentCoefficient = coefficient, SegmentCoefficientPosition = coefficientStart };
        _afterPart = false;
        error = null;
        return true;
    }

    private bool Underscore([NotNullWhen(false)] out CompositionParseError? error)
    {
        // Pei.csv writes one alloy as "Ta_Th": accept '_' only as a separator between two formula parts.
        var next = _pos + 1 < _text.Length ? _text[_pos + 1] : '\0';
        if (!_afterPart || next is not ((>= 'A' and <= 'Z') or '(' or '[' or '{'))
            return Fail(CompositionErrorKind.UnexpectedCharacter, _pos,
                $"Unexpected character '_' at position {_pos + 1} (only allowed between two formula parts)", out error);
        _pos++;
        _afterPart = false;
        error = null;
        return true;
    }

    private bool Skip([NotNullWhen(false)] out CompositionParseError? error)
    {
        _pos++;
        error = null;
        return true;
    }

    private bool Finish([NotNullWhen(false)] out CompositionParseError? error)
    {
        if (_depth > 0)
        {
            var open = _levels[_depth].OpenPosition;
            return Fail(CompositionErrorKind.UnbalancedBrackets, open,
                $"'{_text[open]}' at position {open + 1} is never closed", out error);
        }
        if (_count == 0)
            return Fail(CompositionErrorKind.Empty, 0, "Composition is empty", out error);
        if (!_afterPart)
            return DanglingAdductSeparator(out error);
        return ApplySegmentCoefficient(_levels[0], out error);
    }

    private bool DanglingAdductSeparator([NotNullWhen(false)] out CompositionParseError? error) =>
        Fail(CompositionErrorKind.MisplacedAdductSeparator, _lastAdductSeparator,
            $"Adduct separator '{_text[_lastAdductSeparator]}' at position {_lastAdductSeparator + 1} is not followed by a formula part",
            out error);

    private bool ReadOptionalAmount(out double amount, [NotNullWhen(false)] out CompositionParseError? error)
    {
        amount = 1.0;
        error = null;
        if (_pos >= _text.Length)
            return true;
        var c = _text[_pos];
        if (char.IsAsciiDigit(c))
            return ReadAmount(out amount, out error);
        if (c == '-' && _pos + 1 < _text.Length && (char.IsAsciiDigit(_text[_pos + 1]) || _text[_pos + 1] == '.'))
            return Fail(CompositionErrorKind.InvalidAmount, _pos,
                $"Negative amount at position {_pos + 1}: amounts must be positive", out error);
        return true;
    }

    /// <summary>digits [. digits] [(e|E) [+|-] digits]: the '.' only counts when a digit follows it.</summary>
    private bool ReadAmount(out double amount, [NotNullWhen(false)] out CompositionParseError? error)
    {
        var start = _pos;
        var end = SkipDigits(start);
        if (end + 1 < _text.Length && _text[end] == '.' && char.IsAsciiDigit(_text[end + 1]))
            end = SkipDigits(end + 1);
        if (end < _text.Length && _text[end] is 'e' or 'E')
        {
            var exponent = end + 1;
            if (exponent < _text.Length && _text[exponent] is '+' or '-')
                exponent++;
            // Otherwise the 'E' starts the next element (Er, Es, Eu).
            if (exponent < _text.Length && char.IsAsciiDigit(_text[exponent]))
                end = SkipDigits(exponent);
        }
        var number = _text[start..end];
        _pos = end;
        amount = double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (amount == 0)
            return Fail(CompositionErrorKind.InvalidAmount, start, $"Zero amount '{number}' at position {start + 1}", out error);
        if (!double.IsFinite(amount))
            return Fail(CompositionErrorKind.InvalidAmount, start, $"Amount '{number}' at position {start + 1} is too large", out error);
        // Subnormal doubles keep only a few bits: their ratios, and so the canonical formula, would be noise.
        if (!double.IsNormal(amount))
            return Fail(CompositionErrorKind.InvalidAmount, start,
                $"Amount '{number}' at position {start + 1} is too small (below {SmallestAmountText})", out error);
        error = null;
        return true;
    }

    private readonly int SkipDigits(int index)
    {
        while (index < _text.Length && char.IsAsciiDigit(_text[index]))
            index++;
        return index;
    }

    private void SkipWhitespace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
            _pos++;
    }

    private readonly bool ApplySegmentCoefficient(in LevelState level, [NotNullWhen(false)] out CompositionParseError? error) =>
        Multiply(level.SegmentStart, level.SegmentCoefficient, level.SegmentCoefficientPosition, out error);

    /// <summary>
    /// Multiplies the entries from <paramref name="fromEntry"/> by the factor written at <paramref name="factorPosition"/>;
    /// a product that overflows or leaves the normal range (0 or subnormal: the element would vanish or be noise) is an error.
    /// </summary>
    private readonly bool Multiply(int fromEntry, double factor, int factorPosition, [NotNullWhen(false)] out CompositionParseError? error)
    {
        error = null;
        if (factor == 1.0)
            return true;
        for (var i = fromEntry; i < _count; i++)
        {
            var product = _entryAmounts[i] * factor;
            if (!double.IsNormal(product))
                return ProductOutOfRange(i, factor, factorPosition, product, out error);
            _entryAmounts[i] = product;
        }
        return true;
    }

    private readonly bool ProductOutOfRange(int entry, double factor, int factorPosition, double product, out CompositionParseError error)
    {
        var symbol = PeriodicTable.ByAtomicNumber(_entryElements[entry]).Symbol;
        var position = _entryPositions[entry];
        var what = double.IsFinite(product) ? $"underflows (below {SmallestAmountText})" : "is too large (overflow)";
        error = new CompositionParseError(CompositionErrorKind.AmountOutOfRange, factorPosition + 1, string.Create(CultureInfo.InvariantCulture,
            $"Amount {_entryAmounts[entry]:R} of {symbol} (position {position + 1}) times {factor:R} at position {factorPosition + 1} {what}"));
        return false;
    }

    private static char OpeningOf(char close) => close switch { ')' => '(', ']' => '[', _ => '{' };

    private static bool Fail(CompositionErrorKind kind, int index, string message, [NotNullWhen(false)] out CompositionParseError? error)
    {
        error = new CompositionParseError(kind, index + 1, message);
        return false;
    }

    /// <summary>
    /// Per bracket level: where its entries start, where the current adduct part starts and its
    /// coefficient (and where that is written), the closing bracket expected and where the level was opened.
    /// </summary>
    internal readonly record struct LevelState(
        int GroupStart, int SegmentStart, double SegmentCoefficient, int SegmentCoefficientPosition, char Close, int OpenPosition);
}
