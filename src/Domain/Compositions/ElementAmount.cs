using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Compositions;

/// <summary>An element and its amount (atoms per formula unit, or a fraction, depending on the list it is in).</summary>
public readonly record struct ElementAmount(Element Element, double Amount)
{
    public override string ToString() => $"{Element.Symbol}:{Amount.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";
}
