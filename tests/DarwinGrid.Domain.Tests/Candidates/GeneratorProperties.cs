using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Compositions;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace DarwinGrid.Domain.Tests.Candidates;

/// <summary>A small random space: 1–3 sites over overlapping element pools, whole amounts, maybe a fixed element and filters.</summary>
public sealed record RandomSpace(string[][] Sites, int[] Amounts, string? Fixed, int FixedAmount, bool Neutral, bool Distinct)
{
    public string Spec()
    {
        var template = string.Concat(Sites.Select((_, i) => $"{{S{i}}}{Amounts[i]}")) + (Fixed is null ? "" : $"{Fixed}{FixedAmount}");
        var clauses = Sites.Select((set, i) => $"S{i}={string.Join(",", set)}").ToList();
        if (Neutral) clauses.Add("neutral");
        if (Distinct) clauses.Add("distinct");
        return string.Join("; ", [template, .. clauses]);
    }

    public override string ToString() => Spec();
}

public static class RandomSpaces
{
    // Overlapping pools so duplicates, merges (Fe on two sites) and the distinct rule all happen.
    private static readonly string[] Pool = ["Li", "Na", "Mg", "Ba", "Ge", "Sn", "Ti", "Fe", "O", "S", "Se", "Cl", "Ar"];

    public static Arbitrary<RandomSpace> Spaces() =>
        (from siteCount in Gen.Choose(1, 3)
         from sites in Gen.ArrayOf(Gen.NonEmptyListOf(Gen.Elements(Pool)).Select(l => l.Distinct().ToArray()), siteCount)
         from amounts in Gen.ArrayOf(Gen.Choose(1, 4), siteCount)
         from fixedElement in Gen.Elements<string?>(null, "O", "S", "Fe")
         from fixedAmount in Gen.Choose(1, 4)
         from neutral in Gen.Elements(true, false)
         from distinct in Gen.Elements(true, false)
         select new RandomSpace(sites, amounts, fixedElement, fixedAmount, neutral, distinct))
        .ToArbitrary();
}

[Properties(Arbitrary = [typeof(RandomSpaces)], MaxTest = 200)]
public class GeneratorProperties
{
    /// <summary>
    /// The generator against a brute-force oracle that writes each choice as a formula string, parses it,
    /// and applies the filters its own way: same candidates, same order.
    /// </summary>
    [Property]
    public void MatchesBruteForce(RandomSpace space)
    {
        var generator = OxidationData.Generator(space.Spec());
        var expected = BruteForce(space);
        Assert.Equal(expected, generator.Generate().Select(c => c.CanonicalFormula));
        Assert.Equal(expected.Count, generator.Count());
        Assert.InRange(expected.Count, 0, generator.CountUpperBound());
        Assert.Equal(space.Sites.Aggregate(1L, (product, set) => product * set.Length), generator.CountUpperBound());
    }

    private static List<string> BruteForce(RandomSpace space)
    {
        var seen = new HashSet<string>();
        var result = new List<string>();
        foreach (var choice in Product(space.Sites))
        {
            if (space.Distinct && (choice.Distinct().Count() < choice.Length || (space.Fixed is not null && choice.Contains(space.Fixed))))
                continue;
            var formula = string.Concat(choice.Select((symbol, i) => $"{symbol}{space.Amounts[i]}")) +
                          (space.Fixed is null ? "" : $"{space.Fixed}{space.FixedAmount}");
            var composition = Composition.Parse(formula);
            if (space.Neutral && !OxidationData.Neutrality.IsNeutral(composition))
                continue;
            if (seen.Add(composition.CanonicalFormula))
                result.Add(composition.CanonicalFormula);
        }
        return result;
    }

    private static IEnumerable<string[]> Product(string[][] sets) =>
        sets.Aggregate(
            (IEnumerable<string[]>)[[]],
            (prefixes, set) => prefixes.SelectMany(prefix => set.Select(symbol => (string[])[.. prefix, symbol])));
}
