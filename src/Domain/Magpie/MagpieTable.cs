using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Magpie;

/// <summary>
/// One Magpie elemental property (one <c>.table</c> file): the values of each element, or none where
/// the source says the value is missing. Most tables hold one number per element; a few
/// (<c>IonizationEnergies</c>, <c>OxidationStates</c>) hold several, which <see cref="ValuesOf"/> returns.
/// </summary>
public sealed class MagpieTable
{
    private readonly double[]?[] _valuesByAtomicNumber;

    internal MagpieTable(string name, string? description, string? units, double[]?[] valuesByAtomicNumber)
    {
        Name = name;
        Description = description;
        Units = units;
        _valuesByAtomicNumber = valuesByAtomicNumber;
        IsMultiValued = valuesByAtomicNumber.Any(values => values is { Length: > 1 });
    }

    /// <summary>The file name without <c>.table</c>, e.g. <c>AtomicWeight</c>.</summary>
    public string Name { get; }

    /// <summary>The "Property:" line of the README, when it describes this table.</summary>
    public string? Description { get; }

    /// <summary>The units from the README (e.g. <c>K</c>, <c>eV</c>); null where the README gives none.</summary>
    public string? Units { get; }

    /// <summary>True when some element has more than one value on its line.</summary>
    public bool IsMultiValued { get; }

    /// <summary>Elements the table has a value for (in atomic-number order).</summary>
    public IEnumerable<Element> KnownElements =>
        PeriodicTable.All.Where(element => _valuesByAtomicNumber[element.AtomicNumber - 1] is not null);

    public bool IsMissing(Element element) => _valuesByAtomicNumber[IndexOf(element)] is null;

    /// <summary>The element's value, or null where the table says <c>Missing</c> (or ends before the element).</summary>
    /// <exception cref="InvalidOperationException">The table holds several values per element; use <see cref="ValuesOf"/>.</exception>
    public double? ValueOf(Element element)
    {
        if (IsMultiValued)
            throw new InvalidOperationException(
                $"Magpie table '{Name}' holds several values per element; use {nameof(ValuesOf)}.");
        var values = _valuesByAtomicNumber[IndexOf(element)];
        return values is null ? null : values[0];
    }

    /// <summary>All values on the element's line; empty where the table has none for it.</summary>
    public IReadOnlyList<double> ValuesOf(Element element) => _valuesByAtomicNumber[IndexOf(element)] ?? [];

    private static int IndexOf(Element element) => element.AtomicNumber - 1;

    public override string ToString() => Units is null ? Name : $"{Name} ({Units})";
}
