namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// Everything that defines a generated candidate space: the template, the element set of each site,
/// the doping variables and the filters. <see cref="CandidateSpecParser"/> reads it from text
/// (<c>"{A}2{B}{X}4; A=alkali; B=Ge,Sn; X=S,Se,Te; neutral"</c>); <see cref="ToString"/> writes
/// that text back with the sites' elements listed explicitly.
/// </summary>
/// <param name="Template">See <c>TEMPLATE-SYNTAX.md</c>.</param>
/// <param name="RequireChargeNeutral">Keep only compositions some assignment of Magpie oxidation states balances.</param>
/// <param name="DistinctElements">No element twice: sites take pairwise different elements, none equal to an element written in the template.</param>
/// <param name="Limit">Stop after this many candidates (after filtering and de-duplication).</param>
public sealed record CandidateGenerationSpec(
    string Template,
    IReadOnlyList<SiteElements> Sites,
    IReadOnlyList<DopingSeries> Variables,
    bool RequireChargeNeutral = false,
    bool DistinctElements = false,
    long? Limit = null)
{
    public override string ToString() => CandidateSpecParser.Compose(Template,
        Sites.Select(s => s.ToString()).Concat(Variables.Select(v => v.ToString())), RequireChargeNeutral, DistinctElements, Limit);
}
