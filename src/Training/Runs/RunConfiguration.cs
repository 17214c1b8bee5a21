using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Training.Runs;

/// <summary>One stage's settings as they shape the result (threads and product kernel left out: they change speed, not values beyond float rounding).</summary>
public sealed record StageConfiguration(string Stage, TrainerOptions Trainer, int MaxExampleTokens, int? ExamplesPerEpoch);

/// <summary>
/// Everything that decides a run's numbers: recipe, base model (by SHA-256 for a file), mode,
/// stages with their trainer settings, tasks and weights, fold, seed, format, and the data files by
/// SHA-256, and the lab records learnt from (by SHA-256). A checkpoint carries it and its hash; <c>--resume</c> continues only a run whose
/// configuration is the same, and names the fields that differ otherwise.
/// </summary>
public sealed record RunConfiguration(
    string Preset,
    string Base,
    string? BaseSha256,
    TrainingMode Mode,
    LoraOptions? Lora,
    IReadOnlyList<StageConfiguration> Stages,
    IReadOnlyList<string>? Tasks,
    IReadOnlyList<KeyValuePair<string, double>> TaskWeights,
    int? Fold,
    int Seed,
    string Format,
    IReadOnlyList<DataFileHash> DataFiles,
    ElementEmbeddingInit ElementEmbeddings = ElementEmbeddingInit.Random,
    double FormulaAugmentation = 0,
    // Left out of the JSON when null, so runs without lab records keep their configuration hash.
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    string? LabRecordsSha256 = null)
{
    public string ToJson() => JsonSerializer.Serialize(this, RunJson.Options);

    public string Sha256() => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(ToJson())));

    /// <summary>The top-level fields whose values differ from <paramref name="other"/>'s.</summary>
    public IReadOnlyList<string> Differences(RunConfiguration other)
    {
        var mine = JsonNode.Parse(ToJson())!.AsObject();
        var theirs = JsonNode.Parse(other.ToJson())!.AsObject();
        return mine.Select(p => p.Key).Union(theirs.Select(p => p.Key))
            .Where(key => !JsonNode.DeepEquals(mine[key], theirs[key])).ToArray();
    }
}

/// <summary>The JSON settings of run files (manifest, checkpoint header): camelCase, enums by name, NaN and infinities allowed.</summary>
internal static class RunJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
