using System.Collections.Immutable;
using DarwinGrid.Domain.Candidates;

namespace DarwinGrid.Web.UiTests.Support;

/// <summary>Distinct candidate compositions from the domain generator; another seed gives a disjoint slice.</summary>
public static class Candidates
{
    public static ImmutableArray<string> Create(int count, int seed = 0)
    {
        var spec = CandidateSpecParser.Parse("{A}{1-x}{B}{x}Ti{1-y}Zr{y}O3; A=Ba,Sr,Ca; B=Mg,Pb,Cd; x=0.01..0.99:0.01; y=0.01..0.99:0.01");
        return [.. new CandidateGenerator(spec).Generate().Skip(seed * count).Take(count).Select(c => c.Composition.CanonicalFormula)];
    }

    /// <summary>A CSV with an id column, a composition column and the given bad rows after every 25th good one.</summary>
    public static string Csv(IReadOnlyList<string> good, IReadOnlyList<string> bad)
    {
        var lines = new List<string> { "id,composition,note" };
        var badIndex = 0;
        for (var i = 0; i < good.Count; i++)
        {
            lines.Add($"c{i},{good[i]},ok");
            if (i % 25 == 24 && badIndex < bad.Count)
                lines.Add($"bad{badIndex},{bad[badIndex++]},typo");
        }
        while (badIndex < bad.Count)
            lines.Add($"bad{badIndex},{bad[badIndex++]},typo");
        return string.Join("\n", lines) + "\n";
    }
}
