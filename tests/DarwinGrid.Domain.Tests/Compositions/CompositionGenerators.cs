using System.Globalization;
using DarwinGrid.Domain.Elements;
using FsCheck;
using FsCheck.Fluent;

namespace DarwinGrid.Domain.Tests.Compositions;

/// <summary>A random formula: distinct elements, each with an amount written as the parser reads it.</summary>
public sealed record GeneratedComposition(Element[] Elements, string[] AmountTexts, int[] Permutation)
{
    public double AmountAt(int i) =>
        AmountTexts[i].Length == 0 ? 1.0 : double.Parse(AmountTexts[i], NumberStyles.Float, CultureInfo.InvariantCulture);

    public string Write() => WriteParts(Enumerable.Range(0, Elements.Length));

    public string WritePermuted() => WriteParts(Permutation);

    public string WriteParts(IEnumerable<int> indices) =>
        string.Concat(indices.Select(i => Elements[i].Symbol + AmountTexts[i]));

    /// <summary>The formula with every amount multiplied by <paramref name="factor"/> and written in full (round-trip "R").</summary>
    public string WriteScaled(double factor) => WriteScaled(Enumerable.Range(0, Elements.Length), factor);

    public string WriteScaled(IEnumerable<int> indices, double factor) =>
        string.Concat(indices.Select(i => Elements[i].Symbol + (AmountAt(i) * factor).ToString("R", CultureInfo.InvariantCulture)));

    /// <summary>Indices of the first half (at least one element) and of the rest (possibly none).</summary>
    public (int[] Head, int[] Tail) Halves()
    {
        var split = Math.Max(1, Elements.Length / 2);
        return (Enumerable.Range(0, split).ToArray(), Enumerable.Range(split, Elements.Length - split).ToArray());
    }

    public override string ToString() => Write();
}

/// <summary>A bracket multiplier or hydrate coefficient as written: whole or decimal.</summary>
public sealed record Multiplier(string Text)
{
    public double Value => double.Parse(Text, CultureInfo.InvariantCulture);
    public override string ToString() => Text;
}

public static class CompositionGenerators
{
    private static readonly Gen<string> WholeAmount =
        Gen.Choose(1, 60).Select(n => n == 1 ? "" : n.ToString(CultureInfo.InvariantCulture));

    private static readonly Gen<string> DecimalAmount =
        from digits in Gen.Choose(1, 99999)
        from scale in Gen.Choose(1, 5)
        select (digits / Math.Pow(10, scale)).ToString("0.#####", CultureInfo.InvariantCulture);

    private static readonly Gen<string> ScientificAmount =
        from mantissa in Gen.Choose(1, 999)
        from exponent in Gen.Choose(-4, 2)
        select $"{mantissa}e{exponent}";

    private static readonly Gen<string> Amount = Gen.Frequency(
        (4, WholeAmount), (4, DecimalAmount), (1, ScientificAmount));

    public static Arbitrary<GeneratedComposition> Compositions() =>
        (from count in Gen.Choose(1, 8)
         from elements in Gen.Shuffle(PeriodicTable.All.ToArray())
         from amounts in Gen.ArrayOf(Amount, count)
         from permutation in Gen.Shuffle(Enumerable.Range(0, count).ToArray())
         select new GeneratedComposition(elements.Take(count).ToArray(), amounts, permutation.ToArray()))
        .ToArbitrary();

    public static Arbitrary<Multiplier> Multipliers() =>
        Gen.Frequency(
                (2, Gen.Choose(2, 12).Select(n => n.ToString(CultureInfo.InvariantCulture))),
                (1, Gen.Elements("0.5", "1.5", "0.25", "2.5", "0.1", "3.7", "0.333")))
            .Select(text => new Multiplier(text))
            .ToArbitrary();
}
