using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Elements;
using DarwinGrid.Domain.Magpie;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// Decides whether a composition can be charge-balanced: whether some choice of one oxidation state
/// per element (from the element's common states, Magpie's <c>OxidationStates</c> table) makes
/// Σ amount × state = 0. Fractional amounts are exact: the amounts are scaled by the least common
/// denominator to whole weights first. The search is a depth-first choice of states with pruning on the
/// smallest and largest charge the remaining elements can still add, so it stays tiny (a handful of
/// elements with 1–8 states each). An element with no listed states (noble gases) is never balanced.
/// Thread-safe: it holds only read-only tables.
/// </summary>
public sealed class ChargeNeutrality
{
    private readonly int[][] _statesByAtomicNumber;

    public ChargeNeutrality(Func<Element, IReadOnlyList<int>> oxidationStates)
    {
        _statesByAtomicNumber = new int[PeriodicTable.ElementCount + 1][];
        _statesByAtomicNumber[0] = [];
        foreach (var element in PeriodicTable.All)
            _statesByAtomicNumber[element.AtomicNumber] = [.. oxidationStates(element).Order()];
    }

    public static ChargeNeutrality FromMagpie(MagpieTables tables) => new(tables.OxidationStates);

    public IReadOnlyList<int> StatesOf(Element element) => _statesByAtomicNumber[element.AtomicNumber];

    /// <summary>Whether <paramref name="composition"/> can be balanced (its canonical amounts, exactly).</summary>
    public bool IsNeutral(Composition composition)
    {
        var count = composition.ElementCount;
        Span<int> atomicNumbers = stackalloc int[count];
        var amounts = new Rational[count];
        for (var i = 0; i < count; i++)
        {
            var (element, amount) = composition.CanonicalAmounts[i];
            atomicNumbers[i] = element.AtomicNumber;
            amounts[i] = Rational.FromDecimal((decimal)amount);
        }
        return IsNeutral(atomicNumbers, amounts);
    }

    /// <summary>Whether the elements <paramref name="atomicNumbers"/> (distinct) with positive <paramref name="amounts"/> can be balanced.</summary>
    public bool IsNeutral(ReadOnlySpan<int> atomicNumbers, ReadOnlySpan<Rational> amounts)
    {
        Span<long> weights = stackalloc long[atomicNumbers.Length];
        if (!TryWholeWeights(amounts, weights))
            throw new OverflowException("The amounts' common denominator is too large for the charge-neutrality check.");
        Span<int> states = stackalloc int[atomicNumbers.Length];
        return TryFindStates(atomicNumbers, weights, states);
    }

    /// <summary>
    /// Finds one oxidation state per element with Σ weight × state = 0, written into <paramref name="states"/>;
    /// false when there is none.
    /// </summary>
    public bool TryFindStates(ReadOnlySpan<int> atomicNumbers, ReadOnlySpan<long> weights, Span<int> states)
    {
        var count = atomicNumbers.Length;
        // lowest[i] / highest[i]: the least and greatest charge elements i.. can still contribute.
        Span<long> lowest = stackalloc long[count + 1];
        Span<long> highest = stackalloc long[count + 1];
        for (var i = count - 1; i >= 0; i--)
        {
            var options = _statesByAtomicNumber[atomicNumbers[i]];
            if (options.Length == 0)
                return false;
            lowest[i] = lowest[i + 1] + weights[i] * options[0];
            highest[i] = highest[i + 1] + weights[i] * options[^1];
        }
        return Search(0, 0, atomicNumbers, weights, lowest, highest, states);
    }

    private bool Search(int index, long charge, ReadOnlySpan<int> atomicNumbers, ReadOnlySpan<long> weights,
        ReadOnlySpan<long> lowest, ReadOnlySpan<long> highest, Span<int> states)
    {
        if (charge + lowest[index] > 0 || charge + highest[index] < 0)
            return false;
        if (index == atomicNumbers.Length)
            return charge == 0;
        foreach (var state in _statesByAtomicNumber[atomicNumbers[index]])
        {
            states[index] = state;
            if (Search(index + 1, charge + weights[index] * state, atomicNumbers, weights, lowest, highest, states))
                return true;
        }
        return false;
    }

    /// <summary>Scales exact amounts to whole numbers by their least common denominator.</summary>
    internal static bool TryWholeWeights(ReadOnlySpan<Rational> amounts, Span<long> weights)
    {
        try
        {
            long lcm = 1;
            foreach (var amount in amounts)
                lcm = checked(lcm / Rational.Gcd(lcm, amount.Denominator) * amount.Denominator);
            for (var i = 0; i < amounts.Length; i++)
                weights[i] = checked(amounts[i].Numerator * (lcm / amounts[i].Denominator));
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}
