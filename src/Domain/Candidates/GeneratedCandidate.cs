using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Candidates;

/// <summary>One generated composition and the choices that produced it (the first, when several did).</summary>
/// <param name="SiteElements">The element each site took, in the order of the spec's sites.</param>
/// <param name="VariableValues">The value of each doping variable, in the order of the spec's variables.</param>
/// <param name="RawIndex">Position of the choice in the unfiltered space (0 ≤ RawIndex &lt; CountUpperBound), for progress displays.</param>
public sealed record GeneratedCandidate(
    Composition Composition,
    IReadOnlyList<Element> SiteElements,
    IReadOnlyList<Rational> VariableValues,
    long RawIndex)
{
    public string CanonicalFormula => Composition.CanonicalFormula;

    public override string ToString() => Composition.CanonicalFormula;
}
