using System.Diagnostics;
using System.Security.Cryptography;
using DarwinGrid.Training.Checkpoints;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Optimization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using DarwinGrid.Domain.Files;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// <c>darwin train</c>: the trainer self-test, then DARWIN's stages in order (literature QA, the
/// multi-task mixture), each starting from the previous stage's result, from a new model of the
/// preset's shape or an existing GGUF. Writes each stage's model (<c>DIR/&lt;model&gt;-&lt;stage&gt;.gguf</c>,
/// the last stage's as <c>DIR/&lt;model&gt;.gguf</c>), a JSON manifest and the loss curve as CSV.
/// A checkpoint (<c>DIR/&lt;model&gt;.checkpoint</c>) is saved every N steps, at epoch and stage
/// ends and on cancellation; <see cref="TrainingRunOptions.Resume"/> continues from it with the same
/// loss curve. It is removed once the run is complete.
/// </summary>
public static class TrainingRun
{
    public static string ModelPath(string directory, string modelName) => Path.Combine(directory, modelName + ".gguf");

    public static string StageModelPath(string directory, string modelName, string stage) => Path.Combine(directory, $"{modelName}-{stage}.gguf");

    /// <summary>A LoRA stage's adapter (llama.cpp's adapter GGUF).</summary>
    public static string StageAdapterPath(string directory, string modelName, string stage) => Path.Combine(directory, $"{modelName}-{stage}.lora.gguf");

    public static string ManifestPath(string directory, string modelName) => Path.Combine(directory, modelName + ".manifest.json");

    public static string LossCurvePath(string directory, string modelName) => Path.Combine(directory, modelName + ".loss.csv");

    public static string CheckpointPath(string directory, string modelName) => RunCheckpoint.PathIn(directory, modelName);

    public static TrainingRunResult Execute(TrainingRunOptions options, IProgress<TrainingProgress>? progress = null,
        ILogger? logger = null, CancellationToken cancellationToken = default)
    {
        options.Validated();
        logger ??= NullLogger.Instance;
        var preset = options.Preset;
        var directory = options.OutputDirectory;
        var modelName = options.ModelName;
        var checkpointPath = CheckpointPath(directory, modelName);
        var resume = ReadCheckpointToResume(options, checkpointPath);

        // One thread: the self-test model is tiny, and on a loaded machine two threads spinning at ggml's barriers
        // were measured 300x slower (65 s instead of 0.2 s).
        var selfTest = TrainerSelfTest.Run(threads: 1);
        logger.LogInformation("Trainer self-test passed in {Seconds:F1} s: a tiny model's loss {Before:F3} -> {After:F3}",
            selfTest.Elapsed.TotalSeconds, selfTest.LossBefore, selfTest.LossAfter);
        cancellationToken.ThrowIfCancellationRequested();

        using var start = BaseModel.Load(options.EffectiveBase, preset, modelName, options.DataRoot, options.Seed);
        var shape = start.Checkpoint.Hyperparameters;
        var stages = options.EffectiveStages.Select(s => Plan(options, s)).ToArray();
        var configuration = Configuration(options, start, stages);
        var configurationHash = configuration.Sha256();
        if (resume is not null) CheckSameConfiguration(resume, configuration, configurationHash, checkpointPath);
        logger.LogInformation("Model {Name}: {Parameters:N0} parameters ({Embedding} x {Layers}, {Heads}/{KvHeads} heads, FFN {Ffn}, vocabulary {Vocabulary}); base {Base}; stages {Stages}; {Mode} fine-tuning",
            modelName, shape.ParameterCount, shape.EmbeddingLength, shape.BlockCount, shape.HeadCount, shape.HeadCountKv, shape.FeedForwardLength, shape.VocabSize,
            options.EffectiveBase, string.Join(", ", stages.Select(s => s.Stage)), options.Mode);

        PrivateFiles.CreateDirectory(directory);
        var curve = new LossCurve(resume?.Header.LossCurve);
        var sink = new Fanout(curve, progress);
        var reports = resume?.Header.CompletedStages.ToList() ?? [];
        var lora = options.Mode == TrainingMode.Lora;
        // LoRA: the base is never changed (a file base stays on disk in its own type); one adapter
        // carries from stage to stage, and checkpoints hold only it and its optimizer state.
        var weights = lora || resume is null ? start.Checkpoint.Weights : resume.ModelWeights(shape);
        var adapter = lora && resume is { Header.StageCompleted: true }
            ? LoraAdapter.Initial(shape, options.Lora ?? new LoraOptions(), options.Seed).WithValues(resume.Model)
            : null;
        var first = resume is null ? 0 : resume.Header.StageCompleted ? resume.Header.StageIndex + 1 : resume.Header.StageIndex;
        if (resume is not null)
            logger.LogInformation("Resuming from {Checkpoint}: stage {Stage}, {Where}", checkpointPath, stages[Math.Min(first, stages.Length - 1)].Stage,
                resume.Trainer is { } t ? $"after step {t.Cursor.Step}" : "at its start");

        long computeBytes = 0;
        for (var i = first; i < stages.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stage = stages[i];
            curve.Stage = stage.Stage;
            var data = LoadStage(stage, options, start, logger);
            // The window comes from the tokenized data (or --window), not from the preset alone.
            stage = stage with { Trainer = stage.Trainer with { WindowLength = data.Window }, MaxExampleTokens = data.Window };
            var saved = resume is not null && !resume.Header.StageCompleted && i == resume.Header.StageIndex ? resume : null;
            var resumedAt = saved is null ? [] : saved.Header.ResumedAtSteps.Append(saved.Trainer!.Cursor.Step).ToArray();
            var droppedBefore = saved?.Header.DroppedPerEpoch ?? new Dictionary<int, int>();
            var frozen = new Dictionary<string, float[]>();
            var checkpointing = new TrainerCheckpointing
            {
                EverySteps = options.CheckpointEverySteps,
                ResumeFrom = saved?.Trainer,
                Save = state => new RunCheckpoint(
                    Header(configuration, configurationHash, i, stage.Stage, completed: false, state.Cursor, reports, curve,
                        Merge(droppedBefore, data.DroppedPerEpoch), resumedAt),
                    frozen, state).Save(checkpointPath),
            };

            TrainingResult result;
            StageOutput output;
            using (var trainer = lora
                       ? new LlamaTrainer(start.Checkpoint, stage.Trainer, null, adapter)
                       : new LlamaTrainer(start.Checkpoint.WithWeights(weights), stage.Trainer, null))
            {
                result = trainer.Train(data.Epoch, data.Validation, sink, cancellationToken, checkpointing);
                var isLast = i == stages.Length - 1;
                output = lora
                    ? WriteStageAdapter(trainer, StageAdapterPath(directory, modelName, stage.Stage), isLast && options.Merge ? ModelPath(directory, modelName) : null)
                    : WriteStageModel(trainer, isLast ? ModelPath(directory, modelName) : StageModelPath(directory, modelName, stage.Stage));
                computeBytes = trainer.LastComputeBufferBytes;
            }
            var report = Report(stage, options.Mode, output, data, start, result, Merge(droppedBefore, data.DroppedPerEpoch), computeBytes) with { ResumedAtSteps = resumedAt };
            reports.Add(report);
            weights = output.NextWeights ?? weights;
            adapter = output.Adapter;
            new RunCheckpoint(Header(configuration, configurationHash, i, stage.Stage, completed: true, null, reports, curve, new Dictionary<int, int>(), []),
                adapter?.Tensors() ?? weights, null).Save(checkpointPath);
            logger.LogInformation("Stage {Stage} done: {Steps} steps, validation loss {Loss:F4}; wrote {Output}", stage.Stage, result.Steps,
                report.Outcome.FinalValidationLoss, output.Path);
            if (result.AllCoresTokensPerSecond is { } all && result.OneCoreTokensPerSecond is { } one)
                logger.LogInformation("Thread probe (steps 2-9): {All:F0} tokens/s on all cores, {One:F0} on one; trained on {Threads}", all, one, result.Threads);
        }

        // A LoRA run without --merge has the last stage's adapter as its model.
        var modelPath = lora && !options.Merge ? Path.Combine(directory, reports[^1].OutputFile) : ModelPath(directory, modelName);
        var manifestPath = ManifestPath(directory, modelName);
        var curvePath = LossCurvePath(directory, modelName);
        curve.WriteTo(curvePath);
        var last = reports[^1];
        var manifest = new TrainingRunManifest
        {
            Model = modelName,
            // LoRA runs end with the merged model beside the adapters when asked to; that is the run's model.
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = lora ? Sha256(modelPath) : last.OutputSha256,
            ModelBytes = new FileInfo(modelPath).Length,
            Preset = preset.Name,
            PresetSha256 = PresetRecipe.Sha256(preset),
            Parameters = shape.ParameterCount,
            Shape = shape,
            Stages = stages.Select(s => s.Stage).ToArray(),
            Base = options.EffectiveBase.ToString(),
            BaseSha256 = start.Sha256,
            Mode = options.Mode,
            StageRuns = reports,
            ConfigurationSha256 = configurationHash,
            Seed = options.Seed,
            Trainer = last.Trainer,
            Data = last.Data,
            ValidationRecords = last.ValidationRecords,
            Epochs = last.Epochs,
            Outcome = last.Outcome,
            SelfTest = new ManifestSelfTest(selfTest.LossBefore, selfTest.LossAfter, selfTest.AccuracyAfter, selfTest.Elapsed.TotalSeconds, selfTest.Libraries.BasePath),
            Build = TrainerBuild.Current(),
            CreatedUtc = DateTimeOffset.UtcNow,
        };
        AtomicFile.WriteAllText(manifestPath, manifest.ToJson());
        // The outputs are complete; the checkpoint would only let a finished run be "resumed".
        File.Delete(checkpointPath);
        logger.LogInformation("Wrote {Model} ({Bytes:N0} bytes), {Manifest}, {Curve}", modelPath, manifest.ModelBytes, manifestPath, curvePath);
        return new TrainingRunResult(modelPath, manifestPath, curvePath, manifest);
    }

    /// <summary>A stage's output file, and the weights (full mode) or the adapter (LoRA) the next stage starts from.</summary>
    private sealed record StageOutput(string Path, string Kind, IReadOnlyDictionary<string, float[]>? NextWeights, LoraAdapter? Adapter = null);

    /// <summary>
    /// LoRA mode: the stage's adapter in llama.cpp's format (<c>NAME-STAGE.lora.gguf</c>, served on top of
    /// the unchanged base, and the start of the next stage's adapter); with <paramref name="mergedPath"/>
    /// also the base merged with it (written tensor by tensor, see <see cref="LoraMerge.WriteMerged"/>).
    /// </summary>
    private static StageOutput WriteStageAdapter(LlamaTrainer trainer, string adapterPath, string? mergedPath)
    {
        var adapter = trainer.Adapter();
        if (adapter.Weights.FirstOrDefault(w => !OptimizerTensors.AllFinite(w.A) || !OptimizerTensors.AllFinite(w.B)) is { } badWeight)
            throw new TrainingDivergedException($"Training diverged: the adapter of '{badWeight.BaseName}' is not finite; no adapter was written.");
        var stageBase = trainer.Checkpoint();
        AtomicFile.WriteVia(adapterPath, p => LoraAdapterGguf.Write(p, adapter, stageBase.Metadata));
        if (mergedPath is not null) AtomicFile.WriteVia(mergedPath, p => LoraMerge.WriteMerged(stageBase, adapter, p));
        return new StageOutput(adapterPath, "adapter", null, adapter);
    }

    /// <summary>Full mode: the trained model, written as an F32 GGUF llama.cpp loads.</summary>
    private static StageOutput WriteStageModel(LlamaTrainer trainer, string path)
    {
        var trained = trainer.Checkpoint();
        if (trained.Weights.FirstOrDefault(w => !OptimizerTensors.AllFinite(w.Value)) is { Key: not null } bad)
            throw new TrainingDivergedException($"Training diverged: tensor '{bad.Key}' is not finite; no model was written.");
        AtomicFile.WriteVia(path, trained.Save);
        return new StageOutput(path, "model", trained.Weights);
    }

    private sealed record StagePlan(string Stage, TrainerOptions Trainer, int MaxExampleTokens, int? ExamplesPerEpoch);

    private static StagePlan Plan(TrainingRunOptions options, string stage)
    {
        var preset = options.Preset;
        var trainer = preset.TrainerFor(stage);
        trainer = trainer with
        {
            Epochs = options.Epochs ?? trainer.Epochs,
            MaxSteps = options.MaxSteps ?? trainer.MaxSteps,
            MaxDuration = options.MaxDuration ?? trainer.MaxDuration,
            LearningRate = options.LearningRate ?? trainer.LearningRate,
            Seed = options.Seed,
            Threads = options.Threads,
            Lora = options.Mode == TrainingMode.Lora ? options.Lora ?? new Lora.LoraOptions() : null,
        };
        return new StagePlan(stage, trainer.Validated(), options.Window ?? trainer.WindowLength, stage == TrainingStages.Qa ? preset.QaExamplesPerEpoch : preset.ExamplesPerEpoch);
    }

    private static TrainingDataSelection Selection(TrainingRunOptions options) => new(options.Preset)
    {
        Tasks = options.Tasks, Fold = options.Fold, Seed = options.Seed, Format = options.Format, TaskWeights = options.TaskWeights,
        LabRecords = options.LabRecords, LabReplayShare = options.LabReplayShare,
    };

    private static QaDatasetOptions QaOptions(TrainingRunOptions options) => new()
    {
        Format = options.Format ?? options.Preset.Format,
        Seed = options.Seed,
    };

    private static IStageRecords LoadStage(StagePlan stage, TrainingRunOptions options, BaseModel start, ILogger logger)
    {
        if (stage.Stage == TrainingStages.Qa)
        {
            var qa = QaDataset.Load(options.DataRoot, QaOptions(options));
            if (qa.Skipped.Count > 0)
                logger.LogInformation("{File}: {Skipped} pairs not usable (first: {First})", qa.File.Path, qa.Skipped.Count, qa.Skipped[0]);
            var records = new QaRecords(qa, start.Tokenizer, WindowRequest(stage, options, start), stage.ExamplesPerEpoch);
            logger.LogInformation("QA data: {Pairs} training pairs ({PerEpoch} per epoch, window {Window} tokens from the data, {Dropped} of epoch 1 longer dropped), {Validation} validation",
                qa.Train.Count, stage.ExamplesPerEpoch ?? qa.Train.Count, records.Window, records.DroppedPerEpoch[0], records.Validation.Count);
            return records;
        }
        var data = Selection(options).Load(options.DataRoot, start.Tokenizer, WindowRequest(stage, options, start), logger);
        var statistics = data.FirstEpoch.Statistics.Overall;
        if (data.Lab is { } labMix)
            logger.LogInformation("Lab records: {Records} measured values + {Replay} replayed mixture examples per epoch (replay share {Share:P0})",
                labMix.LabRecords, labMix.ReplayPerEpoch, labMix.ReplayShare);
        logger.LogInformation("Data: {Tasks} tasks, {Examples} examples per epoch ({Tokens:F1} tokens on average, window {Window} tokens from the data, {Dropped} longer dropped), {Validation} validation records",
            data.Mixture.Partitions.Count, data.FirstEpoch.Examples.Count, statistics.MeanTokens, data.Window, data.FirstEpoch.Dropped.Count,
            data.Validation.Count);
        return data;
    }

    /// <summary>--window as given, or at least the preset's window and as long as the data needs, within the model's context.</summary>
    private static TrainingWindowRequest WindowRequest(StagePlan stage, TrainingRunOptions options, BaseModel start) =>
        new(options.Window, stage.MaxExampleTokens, start.Checkpoint.Hyperparameters.ContextLength);

    private static RunConfiguration Configuration(TrainingRunOptions options, BaseModel start, IReadOnlyList<StagePlan> stages)
    {
        var files = new List<string>();
        foreach (var stage in stages)
        {
            files.AddRange(stage.Stage == TrainingStages.Qa
                ? [QaOptions(options).File]
                : MultiTaskMixture.SourceFiles(Selection(options).MixtureOptions()));
        }
        var mixture = Selection(options).MixtureOptions();
        return new RunConfiguration(
            options.Preset.Name,
            options.EffectiveBase.ToString(),
            start.Sha256,
            options.Mode,
            stages[0].Trainer.Lora,
            // Threads change speed, not values; 1 keeps TrainerOptions.EffectiveThreads machine-independent.
            stages.Select(s => new StageConfiguration(s.Stage, s.Trainer with { Threads = 1, Products = Kernels.ProductKernel.Auto }, s.MaxExampleTokens, s.ExamplesPerEpoch)).ToArray(),
            mixture.Tasks,
            mixture.TaskWeights.OrderBy(w => w.Key, StringComparer.Ordinal).ToArray(),
            options.Fold?.Index,
            options.Seed,
            (options.Format ?? options.Preset.Format).Name,
            DataFileHash.OfAll(options.DataRoot, files),
            // Only a new model is initialised by the recipe; a base file's weights are its own.
            start.Sha256 is null ? options.Preset.ElementEmbeddings : ElementEmbeddingInit.Random,
            mixture.FormulaAugmentation,
            options.LabRecords is { Count: > 0 } lab ? LabReplayMixture.Sha256(lab, options.LabReplayShare) : null);
    }

    private static RunCheckpoint? ReadCheckpointToResume(TrainingRunOptions options, string checkpointPath)
    {
        if (!options.Resume)
        {
            if (File.Exists(checkpointPath))
                throw new ArgumentException($"'{options.OutputDirectory}' holds the checkpoint of an unfinished run ({Path.GetFileName(checkpointPath)}): " +
                                            "continue it with --resume, or delete it to start over.");
            return null;
        }
        if (!File.Exists(checkpointPath))
            throw new FileNotFoundException($"--resume: there is no checkpoint '{checkpointPath}' to continue (a finished run removes it).", checkpointPath);
        return RunCheckpoint.Load(checkpointPath);
    }

    private static void CheckSameConfiguration(RunCheckpoint resume, RunConfiguration configuration, string hash, string path)
    {
        if (resume.Header.ConfigurationSha256 == hash) return;
        var differences = configuration.Differences(resume.Header.Configuration);
        throw new ArgumentException($"--resume: the checkpoint '{path}' belongs to a run with a different configuration " +
                                    $"(differs in: {(differences.Count > 0 ? string.Join(", ", differences) : "its hash")}); " +
                                    "resume with the same options, or delete the checkpoint to start over.");
    }

    private static RunCheckpointHeader Header(RunConfiguration configuration, string hash, int stageIndex, string stage, bool completed, TrainerCursor? cursor,
        IReadOnlyList<StageReport> reports, LossCurve curve, IReadOnlyDictionary<int, int> dropped, IReadOnlyList<int> resumedAt) =>
        new(RunCheckpoint.CurrentFormatVersion, hash, configuration, stageIndex, stage, completed, cursor, [.. reports], [.. curve.Entries], dropped, resumedAt,
            DateTimeOffset.UtcNow);

    private static Dictionary<int, int> Merge(IReadOnlyDictionary<int, int> before, IReadOnlyDictionary<int, int> now)
    {
        var merged = new Dictionary<int, int>(before);
        foreach (var (epoch, count) in now) merged[epoch] = count;
        return merged;
    }

    private static StageReport Report(StagePlan stage, TrainingMode mode, StageOutput output, IStageRecords data, BaseModel start, TrainingResult result,
        IReadOnlyDictionary<int, int> dropped, long computeBytes)
    {
        var epochs = result.Epochs.Select(e => new ManifestEpoch(e.Epoch, e.TrainLoss, e.TrainAccuracy, e.Validation?.Loss, e.Validation?.Accuracy,
            e.Validation?.AnswerTokens, dropped.GetValueOrDefault(e.Epoch - 1))).ToArray();
        var best = result.BestEpoch > 0 ? result.Epochs[result.BestEpoch - 1] : result.Epochs.LastOrDefault();
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return new StageReport
        {
            Stage = stage.Stage,
            Mode = mode,
            OutputKind = output.Kind,
            OutputFile = Path.GetFileName(output.Path),
            OutputSha256 = Sha256(output.Path),
            OutputBytes = new FileInfo(output.Path).Length,
            Trainer = stage.Trainer,
            Data = data.Manifest(start.Vocabulary),
            ValidationRecords = data.Validation.Count,
            Epochs = epochs,
            Outcome = new ManifestOutcome(result.Steps, result.PlannedSteps, result.BestEpoch, result.StoppedEarly, result.StoppedByTimeLimit,
                result.Epochs.Count > 0 ? result.Epochs[^1].TrainLoss : double.NaN,
                best?.Validation?.Loss, best?.Validation?.Accuracy,
                result.TokensPerSecond, result.TrainedTokens, result.Elapsed.TotalSeconds, process.PeakWorkingSet64, computeBytes,
                result.Threads, result.AllCoresTokensPerSecond, result.OneCoreTokensPerSecond),
        };
    }

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Reports to the loss curve and the caller's progress, on the training thread, in order.</summary>
    private sealed class Fanout(LossCurve curve, IProgress<TrainingProgress>? next) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            curve.Report(value);
            next?.Report(value with { Stage = curve.Stage });
        }
    }
}
