using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// Parses chemical formulas as materials datasets write them. Accepted:
/// <list type="bullet">
/// <item>elements by case-sensitive symbol, each with an optional amount: whole (<c>Fe2O3</c>), decimal
///   (<c>Fe0.794C0.000470</c>) or scientific (<c>Fe1e-3</c>); a decimal needs a digit before its point;</item>
/// <item>nested brackets <c>()</c>, <c>[]</c>, <c>{}</c> with an optional multiplier (<c>Zr5(CrFe14)3</c>);</item>
/// <item>hydrate/adduct parts after <c>·</c>, <c>•</c>, <c>∙</c>, <c>⋅</c>, <c>*</c> or <c>.</c>, each with an
///   optional leading coefficient (<c>CuSO4·5H2O</c>, <c>CaCl2.H2O</c>). A '.' between two digits is always a
///   decimal point, so <c>CuSO4.5H2O</c> reads O4.5 (write the hydrate with '·'); a '.' after a letter or
///   bracket followed by a digit (<c>Fe.5</c>) is refused as ambiguous;</item>
/// <item>whitespace between parts (<c>Co2 H4 C8 O8</c>), and '_' between two parts (<c>Ta_Th</c>).</item>
/// </list>
/// Amounts of a repeated element are added. Rejected, with the problem and its 1-based position:
/// empty input, more than <see cref="MaxLength"/> characters, unknown symbols, unbalanced or mismatched
/// brackets, zero/negative/overflowing amounts, numbers not after an element or bracket, misplaced
/// adduct separators, anything else left over.
/// </summary>
public static class CompositionParser
{
    public const int MaxLength = 1024;

    /// <exception cref="CompositionParseException">The text is not a formula; the message says what and where.</exception>
    public static Composition Parse(string formula)
    {
        ArgumentNullException.ThrowIfNull(formula);
        return TryParse(formula, out var composition, out var error)
            ? composition
            : throw new CompositionParseException(formula, error);
    }

    public static bool TryParse(
        ReadOnlySpan<char> formula,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Composition? composition,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out CompositionParseError? error)
    {
        composition = null;
        if (formula.Length > MaxLength)
        {
            error = new CompositionParseError(CompositionErrorKind.TooLong, MaxLength + 1,
                $"Composition is {formula.Length} characters long; at most {MaxLength} are accepted (position {MaxLength + 1} is beyond the limit)");
            return false;
        }
        if (formula.IsWhiteSpace())
        {
            error = new CompositionParseError(CompositionErrorKind.Empty, 1,
                formula.IsEmpty ? "Composition is empty" : "Composition is only whitespace");
            return false;
        }

        // Every entry starts with an upper-case letter, so there are at most as many entries as characters.
        Span<byte> elements = stackalloc byte[formula.Length];
        Span<double> amounts = stackalloc double[formula.Length];
        Span<int> positions = stackalloc int[formula.Length];
        Span<FormulaReader.LevelState> levels = stackalloc FormulaReader.LevelState[FormulaReader.MaxDepth];
        var reader = new FormulaReader(formula, elements, amounts, positions, levels);
        if (!reader.Read(out error))
            return false;

        Span<double> totals = stackalloc double[PeriodicTable.ElementCount + 1];
        Span<int> firstPositions = stackalloc int[PeriodicTable.ElementCount + 1];
        for (var i = 0; i < reader.Count; i++)
        {
            var (z, amount, position) = reader.Entry(i);
            if (totals[z] == 0)
                firstPositions[z] = position;
            totals[z] += amount;
        }

        composition = Composition.FromTotals(totals, out var problem, out var offending);
        if (composition is null)
        {
            var position = firstPositions[offending];
            error = new CompositionParseError(CompositionErrorKind.AmountOutOfRange, position + 1,
                $"{problem} (element at position {position + 1})");
            return false;
        }
        error = null;
        return true;
    }
}
