using System.Globalization;
using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Elements;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DarwinGrid.Domain.Tests.Compositions;

/// <summary>A formula with amounts and a bracket multiplier anywhere in the double range, subnormals and overflow included.</summary>
public sealed record ExtremeFormula(string Text, int DistinctElements)
{
    public override string ToString() => Text;
}

public static class ExtremeFormulaGenerators
{
    private static readonly Gen<string> Amount =
        from mantissa in Gen.Choose(1, 999)
        from exponent in Gen.Frequency((3, Gen.Choose(-330, 330)), (2, Gen.Choose(-320, -290)), (1, Gen.Choose(295, 310)), (2, Gen.Choose(-15, 15)))
        select $"{mantissa}e{exponent}";

    public static Arbitrary<ExtremeFormula> Formulas() =>
        (from count in Gen.Choose(1, 5)
         from elements in Gen.Shuffle(PeriodicTable.All.ToArray())
         from amounts in Gen.ArrayOf(Amount, count)
         from bracketed in Gen.Choose(0, count)
         from multiplier in Amount
         from adduct in Gen.Elements(false, true)
         select Write(elements.Take(count).ToArray(), amounts, bracketed, multiplier, adduct))
        .ToArbitrary();

    // The first `bracketed` parts go into brackets times the multiplier, or (adduct) after a '·' with it as the coefficient.
    private static ExtremeFormula Write(Element[] elements, string[] amounts, int bracketed, string multiplier, bool adduct)
    {
        var parts = elements.Select((e, i) => e.Symbol + amounts[i]).ToArray();
        var inner = string.Concat(parts.Take(bracketed));
        var outer = string.Concat(parts.Skip(bracketed));
        var text = bracketed == 0 ? outer
            : adduct && outer.Length > 0 ? $"{outer}·{multiplier}{inner}"
            : $"{outer}({inner}){multiplier}";
        return new ExtremeFormula(text, elements.Length);
    }
}

/// <summary>
/// Amounts at the edges of the double range: a formula either parses with every element it names, and
/// its canonical formula parses again to the same composition, or it is refused naming a position in it.
/// </summary>
[Properties(Arbitrary = [typeof(ExtremeFormulaGenerators)], MaxTest = 2000)]
public class ExtremeAmountProperties
{
    [Property]
    public void AFormulaParsesWithEveryElementOrIsRefusedAtAPosition(ExtremeFormula formula)
    {
        if (CompositionParser.TryParse(formula.Text, out var composition, out var error))
        {
            Assert.Equal(formula.DistinctElements, composition.ElementCount);
            Assert.All(composition.Amounts, a => Assert.True(double.IsNormal(a.Amount), $"{a.Element}: {a.Amount:R}"));
        }
        else
        {
            Assert.Contains(error.Kind, new[] { CompositionErrorKind.InvalidAmount, CompositionErrorKind.AmountOutOfRange });
            Assert.InRange(error.Position, 1, formula.Text.Length);
            Assert.Contains($"position {error.Position.ToString(CultureInfo.InvariantCulture)}", error.Message);
        }
    }

    [Property]
    public void EveryCanonicalFormulaParsesAgainToTheSameComposition(ExtremeFormula formula)
    {
        if (!CompositionParser.TryParse(formula.Text, out var first, out _))
            return;
        Assert.True(CompositionParser.TryParse(first.CanonicalFormula, out var second, out var error), $"{first.CanonicalFormula}: {error?.Message}");
        Assert.Equal(first.CanonicalFormula, second.CanonicalFormula);
        Assert.Equal(first.Elements, second.Elements);
        Assert.Equal(first.CanonicalAmounts, second.CanonicalAmounts);
    }

    [Theory]
    [InlineData("Fe2.2250738585072014e-308O2.2250738585072014e-308", "FeO")]
    [InlineData("Fe1e-300O3e-300", "FeO3")]
    [InlineData("Fe1e300O1e288", "FeO0.000000000001")]
    [InlineData("(Fe1e-150O1e-150)1e-150", "FeO")]
    public void AmountsAtTheEdgesOfTheNormalRangeKeepTheirRatios(string formula, string canonical)
    {
        var composition = CompositionParser.Parse(formula);
        Assert.Equal(canonical, composition.CanonicalFormula);
        Assert.Equal(canonical, CompositionParser.Parse(canonical).CanonicalFormula);
    }
}
