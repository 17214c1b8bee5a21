using System.Text;
using System.Text.RegularExpressions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Randomness;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// The same composition written another way, same answer: training's formula augmentation and the
/// predictor's test-time views both use it (hence here, in the Domain). A flat formula
/// (element symbols with optional amounts, no brackets or adduct dots) is rewritten with its
/// element parts in a random order and, at random, its implicit amounts of 1 written out
/// (<c>Fe2O3</c> -> <c>O3Fe2</c>, <c>BrAg2B</c> -> <c>Br1Ag2B1</c>). Every amount keeps its text, so
/// the composition (and any per-formula-unit meaning of the amounts) is exactly the original; a
/// spelling the domain's <see cref="CompositionParser"/> reads otherwise is never used. Bracketed
/// formulas, adducts and other inputs are left as they are.
/// </summary>
public static partial class FormulaRespelling
{
    /// <summary>Whether the task's input is a composition this class may respell.</summary>
    public static bool Applies(PropertyTask task) => task.Input is InputField.Composition or InputField.Alloy or InputField.Formula;

    /// <summary>Another spelling of a flat formula; the text itself when it is not flat or has one element part.</summary>
    public static string Respell(string formula, SplitMix64Random random)
    {
        ArgumentNullException.ThrowIfNull(formula);
        ArgumentNullException.ThrowIfNull(random);
        if (!FlatFormula().IsMatch(formula)) return formula;
        var parts = ElementPart().Matches(formula).Select(m => (Symbol: m.Groups[1].Value, Amount: m.Groups[2].Value)).ToList();
        if (parts.Count < 2) return formula;
        random.Shuffle(parts);
        var explicitOnes = random.NextInt(2) == 0;
        var text = new StringBuilder(formula.Length + parts.Count);
        foreach (var (symbol, amount) in parts)
            text.Append(symbol).Append(amount.Length == 0 && explicitOnes ? "1" : amount);
        // A dot can also be an adduct separator ("CuSO4.5H2O" is CuSO4 + 5 H2O): keep only spellings the
        // domain's parser reads as exactly the same composition.
        var respelled = text.ToString();
        return SameComposition(formula, respelled) ? respelled : formula;
    }

    private static bool SameComposition(string a, string b) =>
        CompositionParser.TryParse(a, out var first, out _) && CompositionParser.TryParse(b, out var second, out _) &&
        first.CanonicalFormula == second.CanonicalFormula;

    /// <summary>
    /// The record with its input respelled: DARWIN's own instruction record (when there is one)
    /// gets the new input and its output the new spelling wherever it echoed the input
    /// (" Yes, Ag2BBr is metal."); the target is untouched.
    /// </summary>
    public static TaskRecord Respell(TaskRecord record, SplitMix64Random random)
    {
        ArgumentNullException.ThrowIfNull(record);
        var respelled = Respell(record.Input, random);
        if (respelled == record.Input) return record;
        return record with
        {
            Input = respelled,
            Darwin = record.Darwin is { } darwin
                ? darwin with
                {
                    Input = darwin.Input.Replace(record.Input, respelled, StringComparison.Ordinal),
                    Output = darwin.Output.Replace(record.Input, respelled, StringComparison.Ordinal),
                }
                : null,
        };
    }

    // Element symbol (capital + optional small letter) and an optional decimal amount, repeated.
    [GeneratedRegex(@"^(?:[A-Z][a-z]?(?:\d+(?:\.\d+)?|\.\d+)?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex FlatFormula();

    [GeneratedRegex(@"([A-Z][a-z]?)(\d+(?:\.\d+)?|\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex ElementPart();
}
