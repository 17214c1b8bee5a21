using System.Globalization;
using System.Text;

namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// Writes a double the way Python's <c>str(float)</c> does, because DARWIN's converters wrote
/// answers with <c>" " + str(value) + "\n"</c>: a CSV "0" becomes " 0.0", 5.888e-05 stays in
/// exponent form ("5.888436553555884e-05"), 1036.9 stays "1036.9".
/// </summary>
public static class PythonFloat
{
    public static string Format(double value)
    {
        if (!double.IsFinite(value))
            throw new ArgumentOutOfRangeException(nameof(value), value, "Only finite numbers can be written as an answer.");
        if (value == 0)
            return double.IsNegative(value) ? "-0.0" : "0.0";

        // .NET's "R" is the shortest round-trip form, as is Python's repr; only the layout differs.
        var roundTrip = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        var (digits, pointPosition) = Decompose(roundTrip);
        var text = Layout(digits, pointPosition);
        return value < 0 ? "-" + text : text;
    }

    /// <summary>Splits "5.888E-05" into significant digits "5888" and the decimal point position -4 (value = 0.DIGITS x 10^position).</summary>
    private static (string Digits, int PointPosition) Decompose(string roundTrip)
    {
        var exponent = 0;
        var mantissa = roundTrip;
        var e = roundTrip.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(roundTrip[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            mantissa = roundTrip[..e];
        }
        var dot = mantissa.IndexOf('.');
        var integerPart = dot >= 0 ? mantissa[..dot] : mantissa;
        var fractionPart = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = integerPart + fractionPart;
        var position = integerPart.Length + exponent;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits[leadingZeros..].TrimEnd('0');
        return (digits, position - leadingZeros);
    }

    private static string Layout(string digits, int pointPosition)
    {
        var scientificExponent = pointPosition - 1;
        // CPython's float_repr_style 'short': scientific outside 1e-4 <= |x| < 1e16.
        if (scientificExponent < -4 || scientificExponent >= 16)
        {
            var builder = new StringBuilder();
            builder.Append(digits[0]);
            if (digits.Length > 1)
                builder.Append('.').Append(digits, 1, digits.Length - 1);
            builder.Append('e').Append(scientificExponent < 0 ? '-' : '+')
                .Append(Math.Abs(scientificExponent).ToString("00", CultureInfo.InvariantCulture));
            return builder.ToString();
        }
        if (pointPosition <= 0)
            return "0." + new string('0', -pointPosition) + digits;
        if (pointPosition >= digits.Length)
            return digits + new string('0', pointPosition - digits.Length) + ".0";
        return digits[..pointPosition] + "." + digits[pointPosition..];
    }
}
