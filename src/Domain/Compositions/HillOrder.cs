using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// Hill order, the order of canonical formulas: with carbon, C first, then H, then the other
/// elements alphabetically; without carbon, all elements (H included) alphabetically. Symbols are
/// compared ordinally, which is alphabetical for symbols ("B" &lt; "Ba" &lt; "Be" &lt; "Bi").
/// </summary>
public static class HillOrder
{
    private const int Carbon = 6;
    private const int Hydrogen = 1;

    private static readonly int[] AtomicNumbersAlphabetically = PeriodicTable.All
        .OrderBy(e => e.Symbol, StringComparer.Ordinal)
        .Select(e => e.AtomicNumber)
        .ToArray();

    /// <summary>
    /// Writes the atomic numbers with a non-zero entry in <paramref name="amountByAtomicNumber"/>
    /// (indexed by Z) into <paramref name="destination"/> in Hill order; returns how many were written.
    /// </summary>
    public static int Order(ReadOnlySpan<double> amountByAtomicNumber, Span<int> destination)
    {
        var count = 0;
        var hasCarbon = amountByAtomicNumber[Carbon] != 0;
        if (hasCarbon)
        {
            destination[count++] = Carbon;
            if (amountByAtomicNumber[Hydrogen] != 0)
                destination[count++] = Hydrogen;
        }
        foreach (var z in AtomicNumbersAlphabetically)
        {
            if (amountByAtomicNumber[z] != 0 && !(hasCarbon && z is Carbon or Hydrogen))
                destination[count++] = z;
        }
        return count;
    }
}
