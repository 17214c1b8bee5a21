using System.Globalization;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// An exact fraction for template amounts and doping values, so that <c>1-x</c> at x = 0.1 is exactly
/// 9/10 and the charge-neutrality sum is decided without float error. Always reduced, denominator
/// positive; arithmetic throws <see cref="OverflowException"/> instead of wrapping.
/// </summary>
public readonly record struct Rational
{
    public Rational(long numerator, long denominator)
    {
        if (denominator == 0)
            throw new DivideByZeroException("A fraction cannot have denominator 0.");
        if (denominator < 0)
            (numerator, denominator) = (checked(-numerator), checked(-denominator));
        var gcd = Gcd(numerator, denominator);
        Numerator = numerator / gcd;
        Denominator = denominator / gcd;
    }

    public long Numerator { get; }

    public long Denominator { get; }

    public static Rational Zero => new(0, 1);

    public static Rational One => new(1, 1);

    public int Sign => Math.Sign(Numerator);

    public static Rational FromInteger(long value) => new(value, 1);

    /// <exception cref="OverflowException">More than 18 decimal places or a value too large for the fraction.</exception>
    public static Rational FromDecimal(decimal value)
    {
        var scale = value.Scale;
        if (scale > 18)
            throw new OverflowException($"{value} has more than 18 decimal places.");
        long denominator = 1;
        for (var i = 0; i < scale; i++)
            denominator *= 10;
        var numerator = decimal.ToInt64(value * denominator);
        return new Rational(numerator, denominator);
    }

    public double ToDouble() => (double)Numerator / Denominator;

    public decimal ToDecimal() => (decimal)Numerator / Denominator;

    public static Rational operator +(Rational a, Rational b) => Combine(a, b, add: true);

    public static Rational operator -(Rational a, Rational b) => Combine(a, b, add: false);

    public static Rational operator -(Rational a) => new(checked(-a.Numerator), a.Denominator);

    public static Rational operator *(Rational a, Rational b)
    {
        // Cross-reduce first so that products of already-reduced fractions overflow as late as possible.
        var g1 = Gcd(a.Numerator, b.Denominator);
        var g2 = Gcd(b.Numerator, a.Denominator);
        return new Rational(checked(a.Numerator / g1 * (b.Numerator / g2)), checked(a.Denominator / g2 * (b.Denominator / g1)));
    }

    public static Rational operator /(Rational a, Rational b) =>
        b.Numerator == 0
            ? throw new DivideByZeroException("Division by zero.")
            : a * new Rational(b.Denominator, b.Numerator);

    public static bool operator <(Rational a, Rational b) => (a - b).Sign < 0;

    public static bool operator >(Rational a, Rational b) => (a - b).Sign > 0;

    public static bool operator <=(Rational a, Rational b) => (a - b).Sign <= 0;

    public static bool operator >=(Rational a, Rational b) => (a - b).Sign >= 0;

    /// <summary>Written as a plain decimal when it has one (<c>0.9</c>, <c>2</c>), otherwise as <c>p/q</c>.</summary>
    public override string ToString()
    {
        var d = Denominator;
        while (d % 2 == 0) d /= 2;
        while (d % 5 == 0) d /= 5;
        return d == 1
            ? ToDecimal().ToString("0.##################", CultureInfo.InvariantCulture)
            : $"{Numerator}/{Denominator}";
    }

    internal static long Gcd(long a, long b)
    {
        a = Math.Abs(a);
        b = Math.Abs(b);
        while (b != 0)
            (a, b) = (b, a % b);
        return a == 0 ? 1 : a;
    }

    private static Rational Combine(Rational a, Rational b, bool add)
    {
        var g = Gcd(a.Denominator, b.Denominator);
        var left = checked(a.Numerator * (b.Denominator / g));
        var right = checked(b.Numerator * (a.Denominator / g));
        return new Rational(add ? checked(left + right) : checked(left - right), checked(a.Denominator / g * b.Denominator));
    }
}
