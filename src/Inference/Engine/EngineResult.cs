using System.Globalization;
using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Inference.Engine;

/// <summary>
/// The engine's answer. <see cref="Text"/> is the raw generated text (Numeric, FreeText), the
/// most probable finished number (NumberDistribution) or the most probable label (Labels).
/// <see cref="Distribution"/> is the search's distribution over the number (NumberDistribution);
/// <see cref="Error"/> says why there is no usable answer (e.g. the token cap cut the number short).
/// </summary>
public sealed record EngineResult(
    string Text,
    IReadOnlyList<LabelProbability>? Labels,
    NumericSpread? Spread,
    RequestCost Cost,
    NumericDistribution? Distribution = null,
    string? Error = null);

public sealed record LabelProbability(string Label, double Probability);

/// <summary>Sampled numeric answers: the ones that parse as numbers give the mean and standard deviation.</summary>
public sealed record NumericSpread(IReadOnlyList<string> SampleTexts, int ParsedCount, double Mean, double StandardDeviation)
{
    /// <summary>The spread of sampled answer texts (those that do not parse as finite numbers count only as texts).</summary>
    public static NumericSpread Of(IReadOnlyList<string> texts)
    {
        var values = texts
            .Select(t => double.TryParse(t.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : (double?)null)
            .OfType<double>().ToArray();
        if (values.Length == 0) return new NumericSpread(texts, 0, double.NaN, double.NaN);
        var mean = values.Average();
        var variance = values.Length > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1) : 0;
        return new NumericSpread(texts, values.Length, mean, Math.Sqrt(variance));
    }
}

/// <summary>
/// Tokens spent on a request: the whole prompt, the part actually evaluated (the rest came from
/// the shared prefix cache) and the generated answer tokens, summed over its sequences.
/// </summary>
public sealed record RequestCost(int PromptTokens, int PromptTokensEvaluated, int GeneratedTokens);
