using System.Diagnostics.CodeAnalysis;

namespace DarwinGrid.Domain.Elements;

/// <summary>
/// Lookup of the 118 elements by symbol (case-sensitive, as chemistry writes it: <c>Co</c> is cobalt,
/// <c>CO</c> is not a symbol) and by atomic number. Symbol lookup on a span allocates nothing, because
/// the formula parser calls it for every element of millions of candidates.
/// </summary>
public static class PeriodicTable
{
    public const int ElementCount = 118;

    // Index of a one- or two-letter symbol: first letter A..Z times 27, plus 0 or the second letter a..z.
    private const int SymbolSlots = 26 * 27;
    private static readonly byte[] AtomicNumberBySymbolSlot = BuildSymbolIndex();

    public static IReadOnlyList<Element> All => ElementData.ByAtomicNumber;

    public static Element ByAtomicNumber(int atomicNumber) =>
        atomicNumber is >= 1 and <= ElementCount
            ? ElementData.ByAtomicNumber[atomicNumber - 1]
            : throw new ArgumentOutOfRangeException(nameof(atomicNumber), atomicNumber,
                $"Atomic number must be between 1 and {ElementCount}.");

    public static Element BySymbol(string symbol) =>
        TryGetBySymbol(symbol, out var element)
            ? element
            : throw new KeyNotFoundException($"'{symbol}' is not an element symbol (symbols are case-sensitive, e.g. 'Fe').");

    public static bool TryGetBySymbol(ReadOnlySpan<char> symbol, [NotNullWhen(true)] out Element? element)
    {
        var z = AtomicNumberOf(symbol);
        element = z == 0 ? null : ElementData.ByAtomicNumber[z - 1];
        return element is not null;
    }

    /// <summary>The atomic number of <paramref name="symbol"/>, or 0 when it is not an element symbol.</summary>
    public static int AtomicNumberOf(ReadOnlySpan<char> symbol)
    {
        var slot = SlotOf(symbol);
        return slot < 0 ? 0 : AtomicNumberBySymbolSlot[slot];
    }

    private static int SlotOf(ReadOnlySpan<char> symbol)
    {
        if (symbol.Length is < 1 or > 2 || symbol[0] is < 'A' or > 'Z')
            return -1;
        var slot = (symbol[0] - 'A') * 27;
        if (symbol.Length == 2)
        {
            if (symbol[1] is < 'a' or > 'z')
                return -1;
            slot += symbol[1] - 'a' + 1;
        }
        return slot;
    }

    private static byte[] BuildSymbolIndex()
    {
        var index = new byte[SymbolSlots];
        foreach (var element in ElementData.ByAtomicNumber)
            index[SlotOf(element.Symbol)] = (byte)element.AtomicNumber;
        return index;
    }
}
