using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// One entry of a parsed template: a fixed element (<see cref="Element"/> set) or a site filled from
/// an element set (<see cref="SiteIndex"/> ≥ 0), with its amount (brackets already multiplied in).
/// </summary>
public sealed record TemplateTerm(Element? Element, int SiteIndex, string? SiteName, AmountExpression Amount)
{
    public bool IsSite => SiteIndex >= 0;

    public override string ToString() => (IsSite ? $"{{{SiteName}}}" : Element!.Symbol) + $"×{Amount}";
}
