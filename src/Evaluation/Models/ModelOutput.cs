namespace DarwinGrid.Evaluation.Models;

/// <summary>
/// A model's answer for one record: a number (regression), a probability per class in the task's
/// class order (classification), or the reason there is no answer. The harness scores a failure
/// as the dummy model would and counts it.
/// </summary>
public sealed record ModelOutput
{
    private ModelOutput() { }

    public double? Value { get; private init; }

    /// <summary>Probability (or another score where higher means more likely) per class index.</summary>
    public IReadOnlyList<double>? ClassScores { get; private init; }

    public string? Error { get; private init; }

    /// <summary>A regression answer's central interval (e.g. 90%), when the model gives one.</summary>
    public double? Low { get; private init; }

    public double? High { get; private init; }

    public bool HasInterval => Low is not null && High is not null;

    public bool IsFailure => Error is not null;

    public static ModelOutput Number(double value) => new() { Value = value };

    /// <summary>A number with its central interval; null bounds mean the model gave none.</summary>
    public static ModelOutput Number(double value, double? low, double? high) => new() { Value = value, Low = low, High = high };

    public static ModelOutput Classes(IReadOnlyList<double> scores) =>
        new() { ClassScores = scores ?? throw new ArgumentNullException(nameof(scores)) };

    public static ModelOutput Failure(string error) =>
        new() { Error = string.IsNullOrWhiteSpace(error) ? "unspecified failure" : error };

    public override string ToString() =>
        Error is not null ? $"failure: {Error}"
        : Value is { } v ? v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)
        : $"[{string.Join(", ", ClassScores!.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]";
}
