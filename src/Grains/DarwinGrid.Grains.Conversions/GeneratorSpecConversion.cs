using System.Collections.Immutable;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>The grain API's generator spec and the domain's <see cref="CandidateGenerationSpec"/>, both ways.</summary>
public static class GeneratorSpecConversion
{
    /// <exception cref="CandidateSpecException">An element symbol is unknown.</exception>
    public static CandidateGenerationSpec ToDomain(CandidateGeneratorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sites = (spec.Sites.IsDefault ? [] : spec.Sites).Select(site => new SiteElements(site.Placeholder,
            [.. (site.Elements.IsDefault ? [] : site.Elements).Select(symbol => PeriodicTable.TryGetBySymbol(symbol, out var element)
                ? element
                : throw new CandidateSpecException($"Site '{site.Placeholder}': '{symbol}' is not an element symbol."))])).ToList();
        var variables = (spec.Variables.IsDefault ? [] : spec.Variables)
            .Select(v => new DopingSeries(v.Name, (decimal)v.From, (decimal)v.To, (decimal)v.Step)).ToList();
        return new CandidateGenerationSpec(spec.Template, sites, variables, spec.RequireChargeNeutral, spec.DistinctElements, spec.Limit);
    }

    public static CandidateGeneratorSpec FromDomain(CandidateGenerationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new CandidateGeneratorSpec(
            spec.Template,
            [.. spec.Sites.Select(s => new GeneratorSite(s.Name, [.. s.Elements.Select(e => e.Symbol)]))],
            spec.RequireChargeNeutral,
            [.. spec.Variables.Select(v => new DopingVariable(v.Name, (double)v.From, (double)v.To, (double)v.Step))],
            spec.Limit,
            spec.DistinctElements);
    }
}
