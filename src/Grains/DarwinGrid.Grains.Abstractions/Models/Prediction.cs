using System.Collections.Immutable;

namespace DarwinGrid.Grains.Models;

/// <summary>
/// A model's answer for one (input, task). Regression sets <see cref="Value"/>; classification sets
/// <see cref="Label"/> and <see cref="Probability"/> (of the positive label for binary tasks) and
/// <see cref="LabelProbabilities"/>. <see cref="Error"/> is set when the input or the answer could
/// not be handled; the raw answer is kept either way. A regression answer read from the model's
/// distribution also carries the central interval (<see cref="Low"/>, <see cref="High"/>; calibrated
/// where the model ships a calibration) and the distribution itself.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Prediction(
    [property: Id(0)] string Task,
    [property: Id(1)] string ModelVersion,
    [property: Id(2)] double? Value,
    [property: Id(3)] string? Label,
    [property: Id(4)] double? Probability,
    [property: Id(5)] string RawAnswer,
    [property: Id(6)] string? Error = null,
    [property: Id(7)] ImmutableDictionary<string, double>? LabelProbabilities = null,
    [property: Id(8)] double? Spread = null,
    [property: Id(9)] double? Low = null,
    [property: Id(10)] double? High = null,
    [property: Id(11)] PredictedDistribution? Distribution = null)
{
    public bool Succeeded => Error is null;
}

/// <summary>A batch of inputs for one task, sent to a model grain, with the estimate a regression answer reports.</summary>
[GenerateSerializer, Immutable]
public sealed record PredictionBatch(
    [property: Id(0)] string Task,
    [property: Id(1)] ImmutableArray<string> Inputs,
    [property: Id(2)] PredictionEstimate Estimate = PredictionEstimate.Median);

/// <summary>
/// A regression answer's distribution over whole numbers: ascending distinct values with their
/// probabilities (summing to 1), and the share of the model's probability the search covered.
/// The domain's <c>NumericDistribution</c> in the grain API's terms.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PredictedDistribution(
    [property: Id(0)] ImmutableArray<double> Values,
    [property: Id(1)] ImmutableArray<double> Probabilities,
    [property: Id(2)] double CoveredMass);
