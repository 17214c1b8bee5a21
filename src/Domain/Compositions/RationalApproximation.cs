namespace DarwinGrid.Domain.Compositions;

/// <summary>Small-denominator fractions for amount ratios, found by continued-fraction expansion.</summary>
internal static class RationalApproximation
{
    /// <summary>
    /// The first continued-fraction convergent p/q of <paramref name="x"/> (x &gt; 0) with q ≤
    /// <paramref name="maxDenominator"/> and |x − p/q| ≤ <paramref name="relativeTolerance"/>·x.
    /// </summary>
    public static bool TryApproximate(double x, long maxDenominator, double relativeTolerance, out long numerator, out long denominator)
    {
        long hPrev = 1, h = (long)Math.Floor(x);
        long kPrev = 0, k = 1;
        var remainder = x - Math.Floor(x);
        for (var iteration = 0; iteration < 64; iteration++)
        {
            if (Math.Abs(x - (double)h / k) <= relativeTolerance * x && h > 0)
            {
                numerator = h;
                denominator = k;
                return true;
            }
            if (remainder <= 0)
                break;
            var y = 1.0 / remainder;
            var a = Math.Floor(y);
            remainder = y - a;
            if (a > maxDenominator)
                break;
            var term = (long)a;
            (hPrev, h) = (h, term * h + hPrev);
            (kPrev, k) = (k, term * k + kPrev);
            if (k > maxDenominator)
                break;
        }
        numerator = denominator = 0;
        return false;
    }

    public static long Gcd(long a, long b)
    {
        while (b != 0)
            (a, b) = (b, a % b);
        return Math.Abs(a);
    }
}
