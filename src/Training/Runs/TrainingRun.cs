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
        var checkpointPath = CheckpointPath(options.OutputDirectory, options.ModelName);
        var resume = ReadCheckpointToResume(options, checkpointPath);
        var selfTest = RunSelfTest(logger);
        cancellationToken.ThrowIfCancellationRequested();

        using var start = BaseModel.Load(options.EffectiveBase, options.Preset, options.ModelName, options.DataRoot, options.Seed);
        var run = Prepare(options, start, resume, checkpointPath, progress, logger);
        var (weights, adapter) = StartingPoint(run);
        for (var i = run.FirstStage; i < run.Stages.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (weights, adapter) = TrainStage(run, i, weights, adapter, cancellationToken);
        }
        return Finish(run, selfTest);
    }

    /// <summary>What every stage of one run shares: the plan, the configuration its checkpoints carry, the curve and the reports so far.</summary>
    private sealed record RunContext(
        TrainingRunOptions Options, BaseModel Start, StagePlan[] Stages, RunConfiguration Configuration, string ConfigurationHash,
        string CheckpointPath, RunCheckpoint? Resume, LossCurve Curve, IProgress<TrainingProgress> Sink, List<StageReport> Reports, ILogger Logger)
    {
        public bool Lora => Options.Mode == TrainingMode.Lora;
        public string Directory => Options.OutputDirectory;
        public string ModelName => Options.ModelName;
        public LlamaHyperparameters Shape => Start.Checkpoint.Hyperparameters;

        /// <summary>The first stage still to train: after the last completed one, or the one a checkpoint interrupted.</summary>
        public int FirstStage => Resume is null ? 0 : Resume.Header.StageCompleted ? Resume.Header.StageIndex + 1 : Resume.Header.StageIndex;

        public RunCheckpointHeader Header(int stageIndex, bool completed, TrainerCursor? cursor, IReadOnlyDictionary<int, int> dropped, IReadOnlyList<int> resumedAt) =>
            new(RunCheckpoint.CurrentFormatVersion, ConfigurationHash, Configuration, stageIndex, Stages[stageIndex].Stage, completed, cursor, [.. Reports],
                [.. Curve.Entries], dropped, resumedAt, DateTimeOffset.UtcNow);
    }

    private static TrainerSelfTestReport RunSelfTest(ILogger logger)
    {
        // One thread: the self-test model is tiny, and on a loaded machine two threads spinning at ggml's barriers
        // were measured 300x slower (65 s instead of 0.2 s).
        var selfTest = TrainerSelfTest.Run(threads: 1);
        logger.LogInformation("Trainer self-test passed in {Seconds:F1} s: a tiny model's loss {Before:F3} -> {After:F3}",
            selfTest.Elapsed.TotalSeconds, selfTest.LossBefore, selfTest.LossAfter);
        return selfTest;
    }

    private static RunContext Prepare(TrainingRunOptions options, BaseModel start, RunCheckpoint? resume, string checkpointPath,
        IProgress<TrainingProgress>? progress, ILogger logger)
    {
        var shape = start.Checkpoint.Hyperparameters;
        var stages = options.EffectiveStages.Select(s => Plan(options, s)).ToArray();
        var configuration = Configuration(options, start, stages);
        var configurationHash = configuration.Sha256();
        if (resume is not null) CheckSameConfiguration(resume, configuration, configurationHash, checkpointPath);
        logger.LogInformation("Model {Name}: {Parameters:N0} parameters ({Embedding} x {Layers}, {Heads}/{KvHeads} heads, FFN {Ffn}, vocabulary {Vocabulary}); base {Base}; stages {Stages}; {Mode} fine-tuning",
            options.ModelName, shape.ParameterCount, shape.EmbeddingLength, shape.BlockCount, shape.HeadCount, shape.HeadCountKv, shape.FeedForwardLength, shape.VocabSize,
            options.EffectiveBase, string.Join(", ", stages.Select(s => s.Stage)), options.Mode);

        PrivateFiles.CreateDirectory(options.OutputDirectory);
        var curve = new LossCurve(resume?.Header.LossCurve);
        var run = new RunContext(options, start, stages, configuration, configurationHash, checkpointPath, resume, curve, new Fanout(curve, progress),
            resume?.Header.CompletedStages.ToList() ?? [], logger);
        if (resume is not null)
            logger.LogInformation("Resuming from {Checkpoint}: stage {Stage}, {Where}", checkpointPath, stages[Math.Min(run.FirstStage, stages.Length - 1)].Stage,
                resume.Trainer is { } t ? $"after step {t.Cursor.Step}" : "at its start");
        return run;
    }

    /// <summary>
    /// The weights (full mode) or adapter (LoRA) the first stage to train starts from. LoRA: the base is
    /// never changed (a file base stays on disk in its own type); one adapter carries from stage to
    /// stage, and checkpoints hold only it and its optimizer state.
    /// </summary>
    private static (IReadOnlyDictionary<string, float[]> Weights, LoraAdapter? Adapter) StartingPoint(RunContext run)
    {
        var weights = run.Lora || run.Resume is null ? run.Start.Checkpoint.Weights : run.Resume.ModelWeights(run.Shape);
        var adapter = run.Lora && run.Resume is { Header.StageCompleted: true }
            ? LoraAdapter.Initial(run.Shape, run.Options.Lora ?? new LoraOptions(), run.Options.Seed).WithValues(run.Resume.Model)
            : null;
        return (weights, adapter);
    }

    /// <summary>Trains stage <paramref name="i"/>, writes its output and a checkpoint marking it complete; returns what the next stage starts from.</summary>
    private static (IReadOnlyDictionary<string, float[]> Weights, LoraAdapter? Adapter) TrainStage(RunContext run, int i,
        IReadOnlyDictionary<string, float[]> weights, LoraAdapter? adapter, CancellationToken cancellationToken)
    {
        var stage = run.Stages[i];
        run.Curve.Stage = stage.Stage;
        var data = LoadStage(stage, run.Options, run.Start, run.Logger);
        // The window comes from the tokenized data (or --window), not from the preset alone.
        stage = stage with { Trainer = stage.Trainer with { WindowLength = data.Window }, MaxExampleTokens = data.Window };
        var saved = run.Resume is not null && !run.Resume.Header.StageCompleted && i == run.Resume.Header.StageIndex ? run.Resume : null;
        var resumedAt = saved is null ? [] : saved.Header.ResumedAtSteps.Append(saved.Trainer!.Cursor.Step).ToArray();
        var droppedBefore = saved?.Header.DroppedPerEpoch ?? new Dictionary<int, int>();
        var checkpointing = new TrainerCheckpointing
        {
            EverySteps = run.Options.CheckpointEverySteps,
            ResumeFrom = saved?.Trainer,
            Save = state => new RunCheckpoint(run.Header(i, completed: false, state.Cursor, Merge(droppedBefore, data.DroppedPerEpoch), resumedAt),
                new Dictionary<string, float[]>(), state).Save(run.CheckpointPath),
        };

        TrainingResult result;
        StageOutput output;
        long computeBytes;
        using (var trainer = run.Lora
                   ? new LlamaTrainer(run.Start.Checkpoint, stage.Trainer, null, adapter)
                   : new LlamaTrainer(run.Start.Checkpoint.WithWeights(weights), stage.Trainer, null))
        {
            result = trainer.Train(data.Epoch, data.Validation, run.Sink, cancellationToken, checkpointing);
            output = WriteStageOutput(run, trainer, stage.Stage, isLast: i == run.Stages.Length - 1);
            computeBytes = trainer.LastComputeBufferBytes;
        }
        var report = Report(stage, run.Options.Mode, output, data, run.Start, result, Merge(droppedBefore, data.DroppedPerEpoch), computeBytes) with { ResumedAtSteps = resumedAt };
        run.Reports.Add(report);
        weights = output.NextWeights ?? weights;
        adapter = output.Adapter;
        new RunCheckpoint(run.Header(i, completed: true, null, new Dictionary<int, int>(), []), adapter?.Tensors() ?? weights, null).Save(run.CheckpointPath);
        run.Logger.LogInformation("Stage {Stage} done: {Steps} steps, validation loss {Loss:F4}; wrote {Output}", stage.Stage, result.Steps,
            report.Outcome.FinalValidationLoss, output.Path);
        if (result.AllCoresTokensPerSecond is { } all && result.OneCoreTokensPerSecond is { } one)
            run.Logger.LogInformation("Thread probe (steps 2-9): {All:F0} tokens/s on all cores, {One:F0} on one; trained on {Threads}", all, one, result.Threads);
        return (weights, adapter);
    }

    private static StageOutput WriteStageOutput(RunContext run, LlamaTrainer trainer, string stage, bool isLast) => run.Lora
        ? WriteStageAdapter(trainer, StageAdapterPath(run.Directory, run.ModelName, stage), isLast && run.Options.Merge ? ModelPath(run.Directory, run.ModelName) : null)
        : WriteStageModel(trainer, isLast ? ModelPath(run.Directory, run.ModelName) : StageModelPath(run.Directory, run.ModelName, stage));

    /// <summary>The loss curve and the manifest of the finished run; the checkpoint goes.</summary>
    private static TrainingRunResult Finish(RunContext run, TrainerSelfTestReport selfTest)
    {
        // A LoRA run without --merge has the last stage's adapter as its model.
        var modelPath = run.Lora && !run.Options.Merge ? Path.Combine(run.Directory, run.Reports[^1].OutputFile) : ModelPath(run.Directory, run.ModelName);
        var manifestPath = ManifestPath(run.Directory, run.ModelName);
        var curvePath = LossCurvePath(run.Directory, run.ModelName);
        run.Curve.WriteTo(curvePath);
        var manifest = Manifest(run, modelPath, selfTest);
        AtomicFile.WriteAllText(manifestPath, manifest.ToJson());
        // The outputs are complete; the checkpoint would only let a finished run be "resumed".
        File.Delete(run.CheckpointPath);
        run.Logger.LogInformation("Wrote {Model} ({Bytes:N0} bytes), {Manifest}, {Curve}", modelPath, manifest.ModelBytes, manifestPath, curvePath);
        return new TrainingRunResult(modelPath, manifestPath, curvePath, manifest);
    }

    private static TrainingRunManifest Manifest(RunContext run, string modelPath, TrainerSelfTestReport selfTest)
    {
        var last = run.Reports[^1];
        return new TrainingRunManifest
        {
            Model = run.ModelName,
            // LoRA runs end with the merged model beside the adapters when asked to; that is the run's model.
            ModelFile = Path.GetFileName(modelPath),
            ModelSha256 = run.Lora ? Sha256(modelPath) : last.OutputSha256,
            ModelBytes = new FileInfo(modelPath).Length,
            Preset = run.Options.Preset.Name,
            PresetSha256 = PresetRecipe.Sha256(run.Options.Preset),
            Parameters = run.Shape.ParameterCount,
            Shape = run.Shape,
            Stages = run.Stages.Select(s => s.Stage).ToArray(),
            Base = run.Options.EffectiveBase.ToString(),
            BaseSha256 = run.Start.Sha256,
            Mode = run.Options.Mode,
            StageRuns = run.Reports,
            ConfigurationSha256 = run.ConfigurationHash,
            Seed = run.Options.Seed,
            Trainer = last.Trainer,
            Data = last.Data,
            ValidationRecords = last.ValidationRecords,
            Epochs = last.Epochs,
            Outcome = last.Outcome,
            SelfTest = new ManifestSelfTest(selfTest.LossBefore, selfTest.LossAfter, selfTest.AccuracyAfter, selfTest.Elapsed.TotalSeconds, selfTest.Libraries.BasePath),
            Build = TrainerBuild.Current(),
            CreatedUtc = DateTimeOffset.UtcNow,
        };
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
