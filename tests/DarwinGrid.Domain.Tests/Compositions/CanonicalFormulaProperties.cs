using DarwinGrid.Domain.Compositions;
using FsCheck.Xunit;

namespace DarwinGrid.Domain.Tests.Compositions;

[Properties(Arbitrary = [typeof(CompositionGenerators)], MaxTest = 500)]
public class CanonicalFormulaProperties
{
    private static string Key(string formula) => CompositionParser.Parse(formula).CacheKey;

    [Property]
    public void ParsedAmountsAreTheWrittenAmounts(GeneratedComposition generated)
    {
        var parsed = CompositionParser.Parse(generated.Write());
        Assert.Equal(generated.Elements.Length, parsed.ElementCount);
        for (var i = 0; i < generated.Elements.Length; i++)
            Assert.Equal(generated.AmountAt(i), parsed.Amounts.Single(a => a.Element == generated.Elements[i]).Amount);
    }

    [Property]
    public void CanonicalFormulaParsesBackToItself(GeneratedComposition generated)
    {
        var first = CompositionParser.Parse(generated.Write());
        var second = CompositionParser.Parse(first.CanonicalFormula);
        Assert.Equal(first.CanonicalFormula, second.CanonicalFormula);
        Assert.Equal(first.CanonicalAmounts, second.CanonicalAmounts);
        Assert.Equal(first.Elements, second.Elements);
    }

    [Property]
    public void CanonicalAmountsKeepTheRatiosToSixSignificantDigits(GeneratedComposition generated)
    {
        var composition = CompositionParser.Parse(generated.Write());
        var largest = composition.Amounts.Max(a => a.Amount);
        var canonicalLargest = composition.CanonicalAmounts.Max(a => a.Amount);
        for (var i = 0; i < composition.ElementCount; i++)
        {
            var ratio = composition.Amounts[i].Amount / largest;
            var canonicalRatio = composition.CanonicalAmounts[i].Amount / canonicalLargest;
            Assert.True(Math.Abs(ratio - canonicalRatio) <= 5e-6 * ratio,
                $"{composition.Amounts[i].Element}: ratio {ratio} became {canonicalRatio} in {composition.CanonicalFormula}");
        }
        Assert.Equal(1.0, composition.Fractions.Sum(f => f.Amount), 12);
    }

    [Property]
    public void ElementOrderDoesNotChangeTheKey(GeneratedComposition generated) =>
        Assert.Equal(Key(generated.Write()), Key(generated.WritePermuted()));

    [Property]
    public void MultiplyingThroughBracketsDoesNotChangeTheKey(GeneratedComposition generated, Multiplier multiplier)
    {
        var key = Key(generated.Write());
        Assert.Equal(key, Key($"({generated.Write()}){multiplier}"));
        Assert.Equal(key, Key(generated.WriteScaled(multiplier.Value)));
    }

    [Property]
    public void WritingAmountsAsFractionsDoesNotChangeTheKey(GeneratedComposition generated)
    {
        var total = Enumerable.Range(0, generated.Elements.Length).Sum(generated.AmountAt);
        Assert.Equal(Key(generated.Write()), Key(generated.WriteScaled(1 / total)));
    }

    [Property]
    public void BracketsMultiplyOnlyTheirContents(GeneratedComposition generated, Multiplier multiplier)
    {
        var (head, tail) = generated.Halves();
        var bracketed = CompositionParser.Parse($"{generated.WriteParts(tail)}({generated.WriteParts(head)}){multiplier}");
        foreach (var i in head)
            Assert.Equal(generated.AmountAt(i) * multiplier.Value, bracketed.Amounts.Single(a => a.Element == generated.Elements[i]).Amount, 12);
        foreach (var i in tail)
            Assert.Equal(generated.AmountAt(i), bracketed.Amounts.Single(a => a.Element == generated.Elements[i]).Amount);
        var expanded = generated.WriteParts(tail) + generated.WriteScaled(head, multiplier.Value);
        Assert.Equal(Key(expanded), bracketed.CacheKey);
    }

    [Property]
    public void AdductPartsEqualBracketedParts(GeneratedComposition generated, Multiplier coefficient)
    {
        var (headIndices, tailIndices) = generated.Halves();
        var head = generated.WriteParts(headIndices);
        var tail = tailIndices.Length == 0 ? head : generated.WriteParts(tailIndices);
        Assert.Equal(Key($"{head}({tail}){coefficient}"), Key($"{head}·{coefficient}{tail}"));
        Assert.Equal(Key($"{head}{tail}"), Key($"{head}*{tail}"));
        Assert.Equal(Key($"{head}{tail}"), Key($"{head} · {tail}"));
    }
}
