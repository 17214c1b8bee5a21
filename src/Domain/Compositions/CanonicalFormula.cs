using System.Globalization;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Compositions;

/// <summary>
/// The canonical reduced formula: one string per composition, the same for every way of writing it
/// (<c>Fe2O3</c>, <c>O3Fe2</c>, <c>(FeO1.5)2</c>, <c>Fe0.4O0.6</c> all give <c>Fe2O3</c>), and stable
/// under parse → format → parse. Rules, applied to the ratios r = amount / largest amount:
/// <list type="number">
/// <item>Whole-number form: when every r is within a relative 1e-9 of a fraction p/q with
///   q ≤ <see cref="MaxDenominator"/>, and the least common denominator L is at most
///   <see cref="MaxWholeAmount"/>, the formula is written with the whole numbers r·L, which then
///   share no common factor (<c>Fe4O6</c> → <c>Fe2O3</c>, <c>Ag0.05Zr0.95</c> → <c>AgZr19</c>).</item>
/// <item>Otherwise the ratios are rounded to <see cref="SignificantDigits"/> significant digits
///   (first to 12 digits, so float noise from multiplying through brackets cannot flip the last
///   digit), and rule 1 is tried on the rounded ratios (so <c>Fe1Ni0.49999999</c> gives <c>Fe2Ni</c>).</item>
/// <item>Otherwise the formula is written with the rounded ratios: the largest amount is 1, the others
///   plain decimals without exponent or trailing zeros (<c>C0.00153718Fe...</c>).</item>
/// </list>
/// Elements are written in <see cref="HillOrder"/>; an amount of exactly 1 is not written. The decision
/// depends only on the ratios, never on how the input spelled them, and the written form re-parses
/// to the same ratios, so it is a fixed point.
/// </summary>
public static class CanonicalFormula
{
    public const long MaxDenominator = 1000;
    public const long MaxWholeAmount = 1_000_000;
    public const int SignificantDigits = 6;

    /// <summary>Smallest amount ratio (smallest / largest) a composition may have; below it parsing fails.</summary>
    public const double MinimumRatio = 1e-12;

    private const double RatioTolerance = 1e-9;

    /// <summary>
    /// Computes the canonical formula of the elements <paramref name="atomicNumbers"/> (Hill order)
    /// with <paramref name="amounts"/> (positive, finite, ratios ≥ <see cref="MinimumRatio"/>), and
    /// writes the canonical amounts into <paramref name="canonicalAmounts"/>.
    /// </summary>
    public static string Build(ReadOnlySpan<int> atomicNumbers, ReadOnlySpan<double> amounts, Span<double> canonicalAmounts)
    {
        var count = atomicNumbers.Length;
        var largest = 0.0;
        foreach (var amount in amounts)
            largest = Math.Max(largest, amount);

        Span<double> ratios = count <= 128 ? stackalloc double[count] : new double[count];
        for (var i = 0; i < count; i++)
            ratios[i] = amounts[i] / largest;

        if (!TryWholeNumbers(ratios, canonicalAmounts))
        {
            Span<decimal> rounded = count <= 128 ? stackalloc decimal[count] : new decimal[count];
            for (var i = 0; i < count; i++)
            {
                rounded[i] = SignificantDecimal.Round(ratios[i], SignificantDigits);
                ratios[i] = (double)rounded[i];
            }
            if (!TryWholeNumbers(ratios, canonicalAmounts))
                return Write(atomicNumbers, canonicalAmounts, rounded);
        }
        return Write(atomicNumbers, canonicalAmounts, default);
    }

    private static bool TryWholeNumbers(ReadOnlySpan<double> ratios, Span<double> wholeAmounts)
    {
        Span<long> numerators = stackalloc long[ratios.Length];
        Span<long> denominators = stackalloc long[ratios.Length];
        long lcm = 1;
        for (var i = 0; i < ratios.Length; i++)
        {
            if (!RationalApproximation.TryApproximate(ratios[i], MaxDenominator, RatioTolerance, out numerators[i], out denominators[i]))
                return false;
            lcm = lcm / RationalApproximation.Gcd(lcm, denominators[i]) * denominators[i];
            if (lcm > MaxWholeAmount)
                return false;
        }
        long gcd = 0;
        for (var i = 0; i < ratios.Length; i++)
            gcd = RationalApproximation.Gcd(gcd, numerators[i] * (lcm / denominators[i]));
        for (var i = 0; i < ratios.Length; i++)
            wholeAmounts[i] = numerators[i] * (lcm / denominators[i]) / gcd;
        return true;
    }

    private static string Write(ReadOnlySpan<int> atomicNumbers, Span<double> canonicalAmounts, ReadOnlySpan<decimal> decimalAmounts)
    {
        var fractional = !decimalAmounts.IsEmpty;
        Span<char> buffer = stackalloc char[atomicNumbers.Length * 24];
        var length = 0;
        for (var i = 0; i < atomicNumbers.Length; i++)
        {
            var symbol = PeriodicTable.ByAtomicNumber(atomicNumbers[i]).Symbol;
            symbol.AsSpan().CopyTo(buffer[length..]);
            length += symbol.Length;

            int written;
            if (fractional)
            {
                canonicalAmounts[i] = (double)decimalAmounts[i];
                if (decimalAmounts[i] == 1m)
                    continue;
                decimalAmounts[i].TryFormat(buffer[length..], out written, SignificantDecimal.PlainFormat, CultureInfo.InvariantCulture);
            }
            else
            {
                if (canonicalAmounts[i] == 1)
                    continue;
                ((long)canonicalAmounts[i]).TryFormat(buffer[length..], out written, default, CultureInfo.InvariantCulture);
            }
            length += written;
        }
        return new string(buffer[..length]);
    }
}
