using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Candidates;

/// <summary>A template site (<c>A</c> in <c>{A}2{B}{X}4</c>) and the elements it runs over, in enumeration order.</summary>
public sealed record SiteElements(string Name, IReadOnlyList<Element> Elements)
{
    public override string ToString() => $"{Name}={string.Join(",", Elements.Select(e => e.Symbol))}";
}
