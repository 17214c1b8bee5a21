using System.Text.Json;
using DarwinGrid.Training.Checkpoints;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Training.Runs;

/// <summary>The JSON header of a run checkpoint (the tensors travel beside it in the same file).</summary>
/// <param name="StageIndex">The stage in progress, or the last one finished when <paramref name="StageCompleted"/>.</param>
/// <param name="Cursor">The trainer's position within the stage in progress; null when the stage is finished.</param>
/// <param name="DroppedPerEpoch">Over-long examples dropped per epoch of the stage in progress (for the manifest).</param>
/// <param name="ResumedAtSteps">Steps at which the stage in progress was resumed before.</param>
public sealed record RunCheckpointHeader(
    int FormatVersion,
    string ConfigurationSha256,
    RunConfiguration Configuration,
    int StageIndex,
    string Stage,
    bool StageCompleted,
    TrainerCursor? Cursor,
    IReadOnlyList<StageReport> CompletedStages,
    IReadOnlyList<LossCurveEntry> LossCurve,
    IReadOnlyDictionary<int, int> DroppedPerEpoch,
    IReadOnlyList<int> ResumedAtSteps,
    DateTimeOffset SavedUtc);

/// <summary>
/// A run's checkpoint, <c>DIR/&lt;model&gt;.checkpoint</c>: the header, and the tensors by prefix:
/// <c>model/</c> the model weights that are not trained parameters (all of them once a stage is
/// finished), <c>param/</c>, <c>m/</c>, <c>v/</c> the trainable tensors with their AdamW moments,
/// <c>best/</c> the best epoch's weights when kept for early stopping.
/// </summary>
public sealed record RunCheckpoint(RunCheckpointHeader Header, IReadOnlyDictionary<string, float[]> Model, TrainerState? Trainer)
{
    public const int CurrentFormatVersion = 1;

    private const string ModelPrefix = "model/", ParamPrefix = "param/", FirstPrefix = "m/", SecondPrefix = "v/", BestPrefix = "best/";

    public static string PathIn(string directory, string modelName) => Path.Combine(directory, modelName + ".checkpoint");

    /// <summary>The model weights the stage in progress trains (frozen weights plus the trained parameters), or the finished stage's result.</summary>
    public Dictionary<string, float[]> ModelWeights(LlamaHyperparameters shape)
    {
        var weights = new Dictionary<string, float[]>(Model, StringComparer.Ordinal);
        if (Trainer is not null)
        {
            // In full mode every model tensor is a parameter; adapter tensors (LoRA) are not model tensors.
            foreach (var spec in LlamaTensorLayout.Enumerate(shape))
                if (Trainer.Optimizer.Parameters.TryGetValue(spec.Name, out var values)) weights[spec.Name] = values;
        }
        var missing = LlamaTensorLayout.Enumerate(shape).Select(s => s.Name).Where(n => !weights.ContainsKey(n)).ToArray();
        if (missing.Length > 0)
            throw new InvalidDataException($"The checkpoint lacks model tensors {string.Join(", ", missing.Take(3))}: it was written for another model shape.");
        return weights;
    }

    /// <exception cref="IOException">The file cannot be written (e.g. the disk is full); the previous checkpoint is then unchanged.</exception>
    public void Save(string path)
    {
        var tensors = Model.Select(t => KeyValuePair.Create(ModelPrefix + t.Key, t.Value));
        if (Trainer is { } state)
        {
            tensors = tensors
                .Concat(state.Optimizer.Parameters.Select(t => KeyValuePair.Create(ParamPrefix + t.Key, t.Value)))
                .Concat(state.Optimizer.FirstMoments.Select(t => KeyValuePair.Create(FirstPrefix + t.Key, t.Value)))
                .Concat(state.Optimizer.SecondMoments.Select(t => KeyValuePair.Create(SecondPrefix + t.Key, t.Value)))
                .Concat((state.BestWeights ?? new Dictionary<string, float[]>()).Select(t => KeyValuePair.Create(BestPrefix + t.Key, t.Value)));
        }
        try
        {
            CheckpointFile.Write(path, JsonSerializer.Serialize(Header, RunJson.Options), tensors);
        }
        catch (IOException e)
        {
            throw new IOException($"The checkpoint at step {Header.Cursor?.Step.ToString() ?? "(stage end)"} could not be saved: {e.Message}. " +
                                  (File.Exists(path) ? $"The previous checkpoint '{path}' is unchanged." : "There is no earlier checkpoint."), e);
        }
    }

    /// <exception cref="InvalidDataException">The file is corrupt, truncated or not a run checkpoint (named in the message).</exception>
    public static RunCheckpoint Load(string path)
    {
        var contents = CheckpointFile.Read(path);
        RunCheckpointHeader header;
        try
        {
            header = JsonSerializer.Deserialize<RunCheckpointHeader>(contents.HeaderJson, RunJson.Options)
                     ?? throw new InvalidDataException($"The checkpoint '{path}' has an empty header.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The checkpoint '{path}' has a header this build cannot read: {e.Message}", e);
        }
        if (header.FormatVersion != CurrentFormatVersion)
            throw new InvalidDataException($"The checkpoint '{path}' has run format {header.FormatVersion}; this build reads {CurrentFormatVersion}.");

        Dictionary<string, float[]> With(string prefix) => contents.Tensors.Where(t => t.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(t => t.Key[prefix.Length..], t => t.Value, StringComparer.Ordinal);
        TrainerState? trainer = null;
        if (header.Cursor is { } cursor)
        {
            var best = With(BestPrefix);
            trainer = new TrainerState(cursor, new OptimizerTensors(With(ParamPrefix), With(FirstPrefix), With(SecondPrefix)), best.Count > 0 ? best : null);
        }
        else if (!header.StageCompleted)
        {
            throw new InvalidDataException($"The checkpoint '{path}' has neither a trainer position nor a finished stage.");
        }
        return new RunCheckpoint(header, With(ModelPrefix), trainer);
    }
}
