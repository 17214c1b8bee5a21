using System.Diagnostics;
using System.Security.Cryptography;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Tokenization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// <c>darwin train</c>: the trainer self-test, then a preset's model trained from random weights on
/// the multi-task mixture (built-in vocabulary), written as an F32 GGUF llama.cpp loads, with a
/// JSON manifest and the loss curve as CSV beside it:
/// <c>DIR/darwin-&lt;preset&gt;.gguf</c>, <c>.manifest.json</c>, <c>.loss.csv</c>.
/// </summary>
public static class TrainingRun
{
    public static string ModelPath(string directory, string modelName) => Path.Combine(directory, modelName + ".gguf");

    public static string ManifestPath(string directory, string modelName) => Path.Combine(directory, modelName + ".manifest.json");

    public static string LossCurvePath(string directory, string modelName) => Path.Combine(directory, modelName + ".loss.csv");

    public static TrainingRunResult Execute(TrainingRunOptions options, IProgress<TrainingProgress>? progress = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options.Validated();
        logger ??= NullLogger.Instance;
        var preset = options.Preset;

        // One thread: the self-test model is tiny, and on a loaded machine two threads spinning at ggml's barriers
        // were measured 300x slower (65 s instead of 0.2 s).
        var selfTest = TrainerSelfTest.Run(threads: 1);
        logger.LogInformation("Trainer self-test passed in {Seconds:F1} s: a tiny model's loss {Before:F3} -> {After:F3}",
            selfTest.Elapsed.TotalSeconds, selfTest.LossBefore, selfTest.LossAfter);
        cancellationToken.ThrowIfCancellationRequested();

        var vocabulary = BuiltInVocabulary.Create(options.DataRoot);
        var tokenizer = new DarwinTokenizer(vocabulary);
        var selection = new TrainingDataSelection(preset)
        {
            Tasks = options.Tasks, Fold = options.Fold, Seed = options.Seed, Format = options.Format,
        };
        var data = selection.Load(options.DataRoot, tokenizer, logger);
        var statistics = data.FirstEpoch.Statistics.Overall;
        logger.LogInformation("Data: {Tasks} tasks, {Examples} examples per epoch ({Tokens:F1} tokens on average, {Dropped} longer than {Window} dropped), {Validation} validation records",
            data.Mixture.Partitions.Count, data.FirstEpoch.Examples.Count, statistics.MeanTokens, data.FirstEpoch.Dropped.Count,
            preset.MaxExampleTokens, data.Validation.Count);

        var shape = preset.Shape(vocabulary.Count);
        var metadata = LlamaGguf.Metadata(shape, vocabulary, options.ModelName)
            .Append(new("general.description", GgufValue.Of(preset.Description))).ToList();
        var initial = new LlamaCheckpoint(shape, metadata, RandomLlamaModel.CreateWeights(shape, options.Seed));
        var trainerOptions = preset.Trainer with
        {
            Epochs = options.Epochs ?? preset.Trainer.Epochs,
            MaxSteps = options.MaxSteps ?? preset.Trainer.MaxSteps,
            MaxDuration = options.MaxDuration ?? preset.Trainer.MaxDuration,
            Seed = options.Seed,
            Threads = options.Threads,
        };
        logger.LogInformation("Model {Name}: {Parameters:N0} parameters ({Embedding} x {Layers}, {Heads}/{KvHeads} heads, FFN {Ffn}, vocabulary {Vocabulary})",
            options.ModelName, shape.ParameterCount, shape.EmbeddingLength, shape.BlockCount, shape.HeadCount, shape.HeadCountKv, shape.FeedForwardLength, shape.VocabSize);

        var curve = new LossCurve();
        var sink = new Fanout(curve, progress);
        TrainingResult result;
        LlamaCheckpoint trained;
        long computeBytes;
        using (var trainer = new LlamaTrainer(initial, trainerOptions, null))
        {
            result = trainer.Train(data.Epoch, data.Validation, sink, cancellationToken);
            trained = trainer.Checkpoint();
            computeBytes = trainer.LastComputeBufferBytes;
        }
        if (result.AllCoresTokensPerSecond is { } all && result.OneCoreTokensPerSecond is { } one)
            logger.LogInformation("Thread probe (steps 2-9): {All:F0} tokens/s on all cores, {One:F0} on one; trained on {Threads}", all, one, result.Threads);

        Directory.CreateDirectory(options.OutputDirectory);
        var modelPath = ModelPath(options.OutputDirectory, options.ModelName);
        var manifestPath = ManifestPath(options.OutputDirectory, options.ModelName);
        var curvePath = LossCurvePath(options.OutputDirectory, options.ModelName);
        trained.Save(modelPath);
        curve.WriteTo(curvePath);
        var manifest = Manifest(options, trainerOptions, shape, vocabulary, data, result, selfTest, modelPath, computeBytes);
        WriteAtomically(manifestPath, manifest.ToJson());
        logger.LogInformation("Wrote {Model} ({Bytes:N0} bytes), {Manifest}, {Curve}", modelPath, manifest.ModelBytes, manifestPath, curvePath);
        return new TrainingRunResult(modelPath, manifestPath, curvePath, manifest);
    }

    private static TrainingRunManifest Manifest(TrainingRunOptions options, TrainerOptions trainerOptions, LlamaHyperparameters shape,
        Vocabulary vocabulary, MixtureRecords data, TrainingResult result, TrainerSelfTestReport selfTest, string modelPath, long computeBytes)
    {
        var epochs = result.Epochs.Select(e => new ManifestEpoch(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.Validation?.Loss, e.Validation?.Accuracy,
            e.Validation?.AnswerTokens, data.DroppedPerEpoch.GetValueOrDefault(e.Epoch - 1))).ToArray();
        var best = result.BestEpoch > 0 ? result.Epochs[result.BestEpoch - 1] : result.Epochs.LastOrDefault();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new TrainingRunManifest
        {
            Model = options.ModelName,
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = Sha256(modelPath),
            ModelBytes = new FileInfo(modelPath).Length,
            Preset = options.Preset.Name,
            Parameters = shape.ParameterCount,
            Shape = shape,
            Stages = options.Stages,
            Seed = options.Seed,
            Trainer = trainerOptions,
            Data = DatasetManifest.For(data.Mixture).WithTokenization(vocabulary, data.Tokenization, data.FirstEpoch),
            ValidationRecords = data.Validation.Count,
            Epochs = epochs,
            Outcome = new ManifestOutcome(result.Steps, result.PlannedSteps, result.BestEpoch, result.StoppedEarly, result.StoppedByTimeLimit,
                result.Epochs.Count > 0 ? result.Epochs[^1].TrainLoss : double.NaN,
                best?.Validation?.Loss, best?.Validation?.Accuracy,
                result.TokensPerSecond, result.TrainedTokens, result.Elapsed.TotalSeconds, process.PeakWorkingSet64, computeBytes,
                result.Threads, result.AllCoresTokensPerSecond, result.OneCoreTokensPerSecond),
            SelfTest = new ManifestSelfTest(selfTest.LossBefore, selfTest.LossAfter, selfTest.AccuracyAfter, selfTest.Elapsed.TotalSeconds, selfTest.Libraries.BasePath),
            Build = TrainerBuild.Current(),
            CreatedUtc = DateTimeOffset.UtcNow,
        };
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static void WriteAtomically(string path, string text)
    {
        var temporary = path + ".tmp-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reports to the loss curve and the caller's progress, on the training thread, in order.</summary>
    private sealed class Fanout(LossCurve curve, IProgress<TrainingProgress>? next) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            curve.Report(value);
            next?.Report(value);
        }
    }
}
