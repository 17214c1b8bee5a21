using System.Collections.Immutable;

namespace DarwinGrid.Grains.Loop;

/// <summary>A measured-values CSV on its way in: the file's bytes, its name, and who uploads it (the signed-in user, the API key, the CLI's user).</summary>
[GenerateSerializer, Immutable]
public sealed record MeasuredUpload(
    [property: Id(0)] byte[] Content,
    [property: Id(1)] string UploadedBy,
    [property: Id(2)] string? FileName = null);

/// <summary>A row the upload refused, and why (line 0 or 1: the whole file).</summary>
[GenerateSerializer, Immutable]
public sealed record MeasuredRowProblem(
    [property: Id(0)] long Line,
    [property: Id(1)] string Problem)
{
    public override string ToString() => Line > 0 ? $"line {Line}: {Problem}" : Problem;
}

/// <summary>One measured value of a dataset version, with the campaign's prediction for it when it was uploaded (null when there was none).</summary>
[GenerateSerializer, Immutable]
public sealed record LabMeasurement(
    [property: Id(0)] long Line,
    [property: Id(1)] string Input,
    [property: Id(2)] string Composition,
    [property: Id(3)] string Task,
    [property: Id(4)] double? Value,
    [property: Id(5)] string? Label,
    [property: Id(6)] string? Conditions,
    [property: Id(7)] string? Notes,
    [property: Id(8)] PredictedSummary? Predicted);

/// <summary>A dataset version's provenance: who uploaded which file (SHA-256 of its bytes) when, and how many rows.</summary>
[GenerateSerializer, Immutable]
public sealed record LabDatasetInfo(
    [property: Id(0)] int Version,
    [property: Id(1)] DateTimeOffset UploadedAt,
    [property: Id(2)] string UploadedBy,
    [property: Id(3)] string Sha256,
    [property: Id(4)] string? FileName,
    [property: Id(5)] int Rows,
    [property: Id(6)] int Superseded);

/// <summary>
/// The answer to an upload: accepted (the new version's provenance) or refused (every bad row
/// named; nothing stored).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeasuredUploadResult(
    [property: Id(0)] bool Accepted,
    [property: Id(1)] ImmutableArray<MeasuredRowProblem> Problems,
    [property: Id(2)] LabDatasetInfo? Dataset);

/// <summary>
/// A measured value beside its prediction: the median and central interval (numbers) or the class
/// and its probability; <see cref="Inside"/> whether the measured number fell in the interval;
/// <see cref="Round"/> the proposal round that proposed the candidate, if any.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeasuredVsPredicted(
    [property: Id(0)] string Composition,
    [property: Id(1)] string Task,
    [property: Id(2)] double? Measured,
    [property: Id(3)] string? MeasuredLabel,
    [property: Id(4)] string? Conditions,
    [property: Id(5)] int DatasetVersion,
    [property: Id(6)] int? Round,
    [property: Id(7)] PredictedSummary? Predicted,
    [property: Id(8)] bool? Inside);
