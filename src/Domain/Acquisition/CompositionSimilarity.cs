using DarwinGrid.Domain.Compositions;

namespace DarwinGrid.Domain.Acquisition;

/// <summary>
/// How alike two compositions are by their atom fractions: <c>1 - ½ Σ |x_a(e) - x_b(e)|</c>, 1 for
/// the same element ratios (however spelled), 0 for no element in common. Cheap, symmetric, and
/// blind to chemistry beyond the elements: enough to keep a batch from being ten spellings of one.
/// </summary>
public static class CompositionSimilarity
{
    public static double Of(Composition a, Composition b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var distance = 0.0;
        foreach (var (element, fraction) in a.Fractions)
            distance += Math.Abs(fraction - b.FractionOf(element));
        foreach (var (element, fraction) in b.Fractions)
            if (!a.Contains(element)) distance += fraction;
        return Math.Clamp(1 - distance / 2, 0, 1);
    }
}
