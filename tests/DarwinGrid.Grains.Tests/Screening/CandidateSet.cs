using System.Collections.Immutable;
using DarwinGrid.Domain.Candidates;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>Distinct candidate compositions from the domain generator (a doping series over perovskites).</summary>
public static class CandidateSet
{
    /// <summary>
    /// <paramref name="count"/> distinct compositions; <paramref name="seed"/> picks another slice of the
    /// space, so two sets with different seeds share no material.
    /// </summary>
    public static ImmutableArray<string> Create(int count, int seed = 0)
    {
        var spec = CandidateSpecParser.Parse("{A}{1-x}{B}{x}Ti{1-y}Zr{y}O3; A=Ba,Sr,Ca; B=Mg,Pb,Cd; x=0.01..0.99:0.01; y=0.01..0.99:0.01");
        return [.. new CandidateGenerator(spec).Generate().Skip(seed * count).Take(count).Select(c => c.Composition.CanonicalFormula)];
    }
}
