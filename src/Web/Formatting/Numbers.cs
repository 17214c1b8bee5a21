using System.Globalization;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Web.Formatting;

/// <summary>Numbers as the dashboard shows them: invariant culture, thousands separators, units, short durations.</summary>
public static class Numbers
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Count(long value) => value.ToString("N0", Culture);

    /// <summary>A measured value with 3-4 significant digits and its unit: "1.51 eV", "912 MPa".</summary>
    public static string Value(double value, string unit = "")
    {
        var magnitude = Math.Abs(value);
        var text = magnitude == 0 ? "0"
            : magnitude >= 1e6 ? value.ToString("0.##E+0", Culture)
            : magnitude >= 100 ? value.ToString("N0", Culture)
            : magnitude >= 10 ? value.ToString("0.#", Culture)
            : magnitude >= 1 ? value.ToString("0.##", Culture)
            : magnitude >= 0.01 ? value.ToString("0.###", Culture)
            : value.ToString("0.##E+0", Culture);
        return unit.Length == 0 ? text : $"{text} {unit}";
    }

    public static string Percent(double fraction) => $"{(fraction * 100).ToString("0", Culture)}%";

    public static string Probability(double probability) => probability.ToString("0.00", Culture);

    /// <summary>"1,234 /s", "12.5 /s", "0.31 /s".</summary>
    public static string Rate(double perSecond) =>
        perSecond >= 100 ? $"{perSecond.ToString("N0", Culture)} /s"
        : perSecond >= 10 ? $"{perSecond.ToString("F1", Culture)} /s"
        : $"{perSecond.ToString("0.##", Culture)} /s";

    /// <summary>"45 s", "3 min 05 s", "2 h 07 min".</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        if (span.TotalSeconds < 60)
            return $"{span.TotalSeconds.ToString(span.TotalSeconds < 10 ? "0.0" : "0", Culture)} s";
        if (span.TotalMinutes < 60)
            return $"{(int)span.TotalMinutes} min {span.Seconds:00} s";
        if (span.TotalHours < 48)
            return $"{(int)span.TotalHours} h {span.Minutes:00} min";
        return $"{(int)span.TotalDays} d {span.Hours} h";
    }

    /// <summary>"just now", "5 min ago", "3 h ago", or the date for older moments.</summary>
    public static string Ago(DateTimeOffset moment, DateTimeOffset now)
    {
        var age = now - moment;
        if (age < TimeSpan.FromMinutes(1))
            return "just now";
        if (age < TimeSpan.FromHours(1))
            return $"{(int)age.TotalMinutes} min ago";
        if (age < TimeSpan.FromDays(1))
            return $"{(int)age.TotalHours} h ago";
        return moment.ToString("yyyy-MM-dd HH:mm", Culture);
    }

    /// <summary>
    /// A prediction as a cell shows it: "1.51 eV", "1.51 ± 0.3 eV" or "0.2 +1.1/−0.2 eV" with its
    /// interval (± when the interval is symmetric about the value within a tenth of its width),
    /// "true (0.87)", "failed".
    /// </summary>
    public static string Prediction(Prediction? prediction)
    {
        if (prediction is null)
            return "";
        if (prediction.Error is not null)
            return "failed";
        if (prediction.Value is { } value)
        {
            var unit = PropertyNames.Unit(prediction.Task);
            var spread = Uncertainty(prediction);
            return spread.Length == 0 ? Value(value, unit) : WithUnit(Value(value) + " " + spread, unit);
        }
        if (prediction.Label is { } label)
        {
            var probability = prediction.LabelProbabilities?.GetValueOrDefault(label) ?? prediction.Probability;
            return probability is { } p ? $"{label} ({Probability(p)})" : label;
        }
        return prediction.RawAnswer;
    }

    /// <summary>The interval around a regression value as "± 0.3" or "+1.1/−0.2"; empty without an interval.</summary>
    public static string Uncertainty(Prediction prediction)
    {
        if (prediction.Value is not { } value || prediction.Low is not { } low || prediction.High is not { } high
            || !double.IsFinite(low) || !double.IsFinite(high) || high < low)
            return "";
        double up = Math.Max(0, high - value), down = Math.Max(0, value - low);
        return Math.Abs(up - down) <= 0.1 * (high - low)
            ? $"± {Value((up + down) / 2)}"
            : $"+{Value(up)}/−{Value(down)}";
    }

    /// <summary>A prediction's interval as "[1.1, 1.8] eV"; empty without one.</summary>
    public static string Interval(Prediction? prediction) =>
        prediction is { Low: { } low, High: { } high } ? WithUnit($"[{Value(low)}, {Value(high)}]", PropertyNames.Unit(prediction.Task)) : "";

    private static string WithUnit(string text, string unit) => unit.Length == 0 ? text : $"{text} {unit}";

    /// <summary>The number a chart plots for a prediction: the value, or the positive class's probability.</summary>
    public static double? Plotted(Prediction? prediction) =>
        prediction is null || prediction.Error is not null ? null : prediction.Value ?? prediction.Probability;
}
