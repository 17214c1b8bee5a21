using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Data;

/// <summary>One task's rows in a training dataset.</summary>
public sealed record ManifestTaskRows(
    string Task,
    int Loaded,
    int Skipped,
    int TestFold,
    int LeakExcluded,
    int Validation,
    int Train,
    double Weight,
    double Proportion,
    int ExamplesPerEpoch,
    int DistractorsPerEpoch);

/// <summary>The fold a model was trained without.</summary>
public sealed record ManifestFold(int Index, int Count, long Seed);

/// <summary>
/// What a trained model's data was: the files (by SHA-256), rows per task, seed, sampling, fold and
/// prompt format. Written as JSON beside a trained model so a run can be reproduced and checked
/// against the evaluation folds.
/// </summary>
public sealed record DatasetManifest
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>"qa" (stage 1) or "multitask" (stage 2).</summary>
    public required string Stage { get; init; }

    public required string Format { get; init; }

    public required long Seed { get; init; }

    public required IReadOnlyList<DataFileHash> Files { get; init; }

    public required IReadOnlyList<ManifestTaskRows> Tasks { get; init; }

    public ManifestFold? Fold { get; init; }

    public string? LeakGuard { get; init; }

    public double ValidationFraction { get; init; }

    public double? SamplingExponent { get; init; }

    public int? MinExamplesPerTask { get; init; }

    public double? DistractorRate { get; init; }

    public int? DistractorNouns { get; init; }

    public int ExamplesPerEpoch { get; init; }

    /// <summary>Lab records the stage learnt from (<see cref="LabReplayMixture"/>); null for the mixture alone.</summary>
    public int? LabRecords { get; init; }

    /// <summary>The share of each epoch replayed from the mixture when learning from lab records.</summary>
    public double? LabReplayShare { get; init; }

    /// <summary>Rows the loaders could not use, with the reason: the first <see cref="SkippedRowsPerTask"/> of each task by row number (the counts are in <see cref="Tasks"/>).</summary>
    public IReadOnlyList<Domain.Datasets.SkippedRow>? SkippedRows { get; init; }

    public const int SkippedRowsPerTask = 50;

    /// <summary>Filled in once the examples are tokenized.</summary>
    public ManifestTokenization? Tokenization { get; init; }

    public static DatasetManifest For(MultiTaskMixture mixture)
    {
        var o = mixture.Options;
        return new DatasetManifest
        {
            Stage = "multitask",
            Format = o.Format.Name,
            Seed = o.Seed,
            Files = mixture.Files,
            Tasks = mixture.Partitions.Zip(mixture.Shares, (p, s) => new ManifestTaskRows(
                p.Task.Name, p.Loaded, p.Skipped.Count, p.TestFold, p.LeakExcluded, p.Validation.Count, p.Train.Count,
                s.Weight, s.Proportion, s.ExamplesPerEpoch, s.DistractorsPerEpoch)).ToArray(),
            Fold = o.Fold is { } f ? new ManifestFold(f.Index, f.Count, f.Seed) : null,
            LeakGuard = o.LeakGuard.ToString(),
            ValidationFraction = o.ValidationFraction,
            SamplingExponent = o.SamplingExponent,
            MinExamplesPerTask = o.MinExamplesPerTask,
            DistractorRate = o.DistractorRate,
            DistractorNouns = mixture.DistractorNouns.Count,
            SkippedRows = mixture.Partitions.SelectMany(p => p.Skipped.OrderBy(r => r.RowNumber).Take(SkippedRowsPerTask)).ToArray(),
            ExamplesPerEpoch = mixture.ExamplesPerEpoch,
        };
    }

    public static DatasetManifest For(QaDataset qa) => new()
    {
        Stage = "qa",
        Format = qa.Options.Format.Name,
        Seed = qa.Options.Seed,
        Files = [qa.File],
        Tasks =
        [
            new ManifestTaskRows(QaExamples.TaskName, qa.Train.Count + qa.Validation.Count, qa.Skipped.Count, 0, 0,
                qa.Validation.Count, qa.Train.Count, 1, 1, qa.Train.Count, 0),
        ],
        ValidationFraction = qa.Options.ValidationFraction,
        ExamplesPerEpoch = qa.Train.Count,
        SkippedRows = qa.Skipped.OrderBy(r => r.RowNumber).Take(SkippedRowsPerTask).ToArray(),
    };

    public DatasetManifest WithTokenization(Vocabulary vocabulary, TokenizationOptions options, TokenizedDataset train) => this with
    {
        Tokenization = new ManifestTokenization(
            vocabulary.Count,
            VocabularyFingerprint.Sha256(vocabulary),
            options.MaxTokens,
            options.OverLength.ToString(),
            train.Dropped.Count,
            train.Statistics),
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static DatasetManifest FromJson(string json) =>
        JsonSerializer.Deserialize<DatasetManifest>(json, Json) ?? throw new InvalidDataException("The dataset manifest is empty (JSON null).");

    public void WriteTo(string path) => File.WriteAllText(path, ToJson());

    public static DatasetManifest ReadFrom(string path)
    {
        try
        {
            return FromJson(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not a dataset manifest: {e.Message}", e);
        }
    }
}

/// <summary>How the examples were tokenized, and what came out.</summary>
/// <param name="VocabularySha256">SHA-256 of the vocabulary as a SentencePiece model: the same vocabulary gives the same hash.</param>
public sealed record ManifestTokenization(
    int VocabularySize,
    string VocabularySha256,
    int MaxTokens,
    string OverLength,
    int Dropped,
    TokenStatistics Statistics);
