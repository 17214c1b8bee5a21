using System.Globalization;

namespace DarwinGrid.Domain.Compositions;

/// <summary>Rounding of values in (0, 1] to significant digits, written as plain decimals (no exponent).</summary>
internal static class SignificantDecimal
{
    /// <summary>
    /// Rounds to 12 and then to <paramref name="digits"/> significant digits: the first step absorbs
    /// float noise (1e-16 relative) so that values differing only by noise round alike.
    /// </summary>
    public static decimal Round(double valueUpToOne, int digits) =>
        RoundOnce(RoundOnce((decimal)valueUpToOne, 12), digits);

    public static string Format(double valueUpToOne, int digits) =>
        Round(valueUpToOne, digits).ToString(PlainFormat, CultureInfo.InvariantCulture);

    public const string PlainFormat = "0.############################";

    private static decimal RoundOnce(decimal value, int digits)
    {
        var leadingZeros = 0;
        for (var scale = 0.1m; value < scale && leadingZeros < 28; scale /= 10)
            leadingZeros++;
        return decimal.Round(value, Math.Min(28, digits + leadingZeros), MidpointRounding.AwayFromZero);
    }
}
