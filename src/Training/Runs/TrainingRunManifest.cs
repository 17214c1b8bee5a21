using System.Text.Json;
using System.Text.Json.Serialization;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Training.Runs;

/// <summary>One epoch of a run as the manifest records it (validation on the mixture's held-out slice).</summary>
/// <param name="DroppedExamples">Examples of this epoch left out for being longer than the window.</param>
public sealed record ManifestEpoch(int Epoch, double TrainLoss, double TrainAccuracy, double? ValidationLoss, double? ValidationAccuracy,
    int? ValidationAnswerTokens, int DroppedExamples);

/// <summary>How the run ended and how fast it went (Threads: what the run ended with; the probe's rates when it chose them).</summary>
public sealed record ManifestOutcome(
    int Steps,
    int PlannedSteps,
    int BestEpoch,
    bool StoppedEarly,
    bool StoppedByTimeLimit,
    double FinalTrainLoss,
    double? FinalValidationLoss,
    double? FinalValidationAccuracy,
    double TokensPerSecond,
    long TrainedTokens,
    double ElapsedSeconds,
    long PeakWorkingSetBytes,
    long ComputeBufferBytes,
    int Threads,
    double? AllCoresTokensPerSecond,
    double? OneCoreTokensPerSecond);

/// <summary>The startup self-test's figures (a tiny model must learn a lookup task).</summary>
public sealed record ManifestSelfTest(double LossBefore, double LossAfter, double Accuracy, double Seconds, string GgmlLibrary);

/// <summary>
/// Written as JSON beside a trained model: what it is, what it was trained on (files by SHA-256),
/// how (hyperparameters, seed, fold), how it went (losses per epoch, tokens/s) and with which build.
/// </summary>
public sealed record TrainingRunManifest
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required string Model { get; init; }

    public required string ModelFile { get; init; }

    public required string ModelSha256 { get; init; }

    public required long ModelBytes { get; init; }

    public required string Preset { get; init; }

    /// <summary>The preset's recipe hash (<see cref="PresetRecipe"/>); null in manifests written before it was recorded.</summary>
    public string? PresetSha256 { get; init; }

    public required long Parameters { get; init; }

    public required LlamaHyperparameters Shape { get; init; }

    public required IReadOnlyList<string> Stages { get; init; }

    /// <summary>What the first stage started from: new:&lt;preset&gt; or the base GGUF's path.</summary>
    public string? Base { get; init; }

    public string? BaseSha256 { get; init; }

    public TrainingMode Mode { get; init; } = TrainingMode.Full;

    /// <summary>Every stage in order, with its own output, data, losses and outcome; the top-level Trainer, Data, Epochs and Outcome repeat the last stage's.</summary>
    public IReadOnlyList<StageReport> StageRuns { get; init; } = [];

    /// <summary>SHA-256 of the run's configuration (see <see cref="RunConfiguration"/>).</summary>
    public string? ConfigurationSha256 { get; init; }

    public required int Seed { get; init; }

    public required TrainerOptions Trainer { get; init; }

    public required DatasetManifest Data { get; init; }

    public required int ValidationRecords { get; init; }

    public required IReadOnlyList<ManifestEpoch> Epochs { get; init; }

    public required ManifestOutcome Outcome { get; init; }

    public required ManifestSelfTest SelfTest { get; init; }

    public required TrainerBuild Build { get; init; }

    public required DateTimeOffset CreatedUtc { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainingRunManifest FromJson(string json) =>
        JsonSerializer.Deserialize<TrainingRunManifest>(json, Json) ?? throw new InvalidDataException("The manifest is empty (JSON null).");

    public static TrainingRunManifest ReadFrom(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingRunManifest>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"'{path}' is empty (JSON null).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a training run manifest: {e.Message}", e);
        }
    }
}
