using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// A chemical composition: which elements in which amounts. Two compositions are equal when their
/// <see cref="CanonicalFormula"/> is, i.e. when they describe the same element ratios
/// (<c>Fe2O3</c> = <c>O3Fe2</c> = <c>(FeO1.5)2</c> = <c>Fe0.4O0.6</c>); see <see cref="Compositions.CanonicalFormula"/>.
/// </summary>
public sealed class Composition : IEquatable<Composition>
{
    private readonly ElementAmount[] _amounts;
    private readonly ElementAmount[] _canonicalAmounts;
    private readonly ElementAmount[] _fractions;

    private Composition(ElementAmount[] amounts, ElementAmount[] canonicalAmounts, string canonicalFormula)
    {
        _amounts = amounts;
        _canonicalAmounts = canonicalAmounts;
        CanonicalFormula = canonicalFormula;
        var total = 0.0;
        foreach (var amount in canonicalAmounts)
            total += amount.Amount;
        _fractions = Array.ConvertAll(canonicalAmounts, a => a with { Amount = a.Amount / total });
    }

    /// <summary>The amounts as written (per element summed over the formula, brackets multiplied out), in Hill order.</summary>
    public IReadOnlyList<ElementAmount> Amounts => _amounts;

    /// <summary>The amounts of <see cref="CanonicalFormula"/>: whole numbers, or ratios to the largest amount.</summary>
    public IReadOnlyList<ElementAmount> CanonicalAmounts => _canonicalAmounts;

    /// <summary>Atom fractions (summing to 1) computed from the canonical amounts, in Hill order.</summary>
    public IReadOnlyList<ElementAmount> Fractions => _fractions;

    /// <summary>The canonical reduced formula in Hill order, e.g. <c>Fe2O3</c>, <c>CH4</c>, <c>AgZr19</c>.</summary>
    public string CanonicalFormula { get; }

    /// <summary>
    /// The key under which results for this composition are cached: the canonical formula itself
    /// (readable, collision-free, and stable across runs and machines, unlike string hash codes).
    /// </summary>
    public string CacheKey => CanonicalFormula;

    public int ElementCount => _amounts.Length;

    public IEnumerable<Element> Elements => _amounts.Select(a => a.Element);

    public bool Contains(Element element) => Array.FindIndex(_amounts, a => a.Element == element) >= 0;

    /// <summary>The atom fraction of <paramref name="element"/>, 0 when it is absent.</summary>
    public double FractionOf(Element element)
    {
        foreach (var fraction in _fractions)
        {
            if (fraction.Element == element)
                return fraction.Amount;
        }
        return 0;
    }

    /// <inheritdoc cref="CompositionParser.Parse(string)"/>
    public static Composition Parse(string formula) => CompositionParser.Parse(formula);

    /// <summary>A composition from element amounts (an element listed twice has its amounts added).</summary>
    /// <exception cref="ArgumentException">No amounts, or an amount that is not positive and finite, or a ratio below <see cref="Compositions.CanonicalFormula.MinimumRatio"/>.</exception>
    public static Composition FromAmounts(IEnumerable<ElementAmount> amounts)
    {
        Span<double> totals = stackalloc double[PeriodicTable.ElementCount + 1];
        foreach (var (element, amount) in amounts)
        {
            if (!(amount > 0) || !double.IsNormal(amount))
                throw new ArgumentException($"Amount {amount} of {element.Symbol} must be positive, finite and not subnormal.", nameof(amounts));
            totals[element.AtomicNumber] += amount;
        }
        return FromTotals(totals, out var problem, out _) ?? throw new ArgumentException(problem, nameof(amounts));
    }

    /// <summary>
    /// Builds the composition from amounts indexed by atomic number; null with <paramref name="problem"/>
    /// naming the offending element when there is none, an amount overflowed, or a ratio is out of range.
    /// </summary>
    internal static Composition? FromTotals(ReadOnlySpan<double> totalsByAtomicNumber, out string? problem, out int offendingAtomicNumber)
    {
        offendingAtomicNumber = 0;
        Span<int> order = stackalloc int[PeriodicTable.ElementCount];
        var count = HillOrder.Order(totalsByAtomicNumber, order);
        order = order[..count];
        if (count == 0)
        {
            problem = "Composition has no elements";
            return null;
        }

        Span<double> amounts = stackalloc double[count];
        var largest = 0.0;
        for (var i = 0; i < count; i++)
        {
            amounts[i] = totalsByAtomicNumber[order[i]];
            if (!double.IsFinite(amounts[i]))
            {
                problem = $"Amount of {Symbol(order[i])} is too large";
                offendingAtomicNumber = order[i];
                return null;
            }
            largest = Math.Max(largest, amounts[i]);
        }
        for (var i = 0; i < count; i++)
        {
            // The ratio itself, not largest·1e-12: that product is subnormal (imprecise) for tiny amounts.
            if (amounts[i] / largest < Compositions.CanonicalFormula.MinimumRatio)
            {
                offendingAtomicNumber = order[i];
                problem = $"Amount of {Symbol(order[i])} is less than {Compositions.CanonicalFormula.MinimumRatio:R} of the largest amount";
                return null;
            }
        }

        Span<double> canonical = stackalloc double[count];
        var formula = Compositions.CanonicalFormula.Build(order, amounts, canonical);
        var elementAmounts = new ElementAmount[count];
        var canonicalAmounts = new ElementAmount[count];
        for (var i = 0; i < count; i++)
        {
            var element = PeriodicTable.ByAtomicNumber(order[i]);
            elementAmounts[i] = new ElementAmount(element, amounts[i]);
            canonicalAmounts[i] = new ElementAmount(element, canonical[i]);
        }
        problem = null;
        return new Composition(elementAmounts, canonicalAmounts, formula);
    }

    private static string Symbol(int atomicNumber) => PeriodicTable.ByAtomicNumber(atomicNumber).Symbol;

    public bool Equals(Composition? other) =>
        other is not null && string.Equals(CanonicalFormula, other.CanonicalFormula, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as Composition);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(CanonicalFormula);

    public override string ToString() => CanonicalFormula;
}
