using DarwinGrid.Domain.Predictions;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// A model's answer to one (task, input). Regression sets <see cref="Value"/>; classification sets
/// <see cref="Label"/>, <see cref="LabelProbabilities"/> and <see cref="Probability"/> (of the
/// positive class for binary tasks, of the chosen class otherwise). <see cref="Error"/> is set when
/// the input was rejected or the answer could not be read; <see cref="RawAnswer"/> is kept either way.
/// A regression answer read from the model's distribution carries it in <see cref="Distribution"/>,
/// with the central interval (<see cref="Low"/>, <see cref="High"/>) it implies.
/// </summary>
public sealed record PropertyPrediction(
    string Task,
    string Input,
    double? Value,
    string? Label,
    double? Probability,
    IReadOnlyDictionary<string, double>? LabelProbabilities,
    string RawAnswer,
    string? Error,
    double? Spread = null,
    RequestCost? Cost = null,
    NumericDistribution? Distribution = null,
    double? Low = null,
    double? High = null)
{
    public bool Succeeded => Error is null;

    public static PropertyPrediction Failed(string task, string input, string error, string rawAnswer = "") =>
        new(task, input, null, null, null, null, rawAnswer, error);
}
