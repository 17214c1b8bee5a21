using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Trains a LLaMA model on prompt/response records with the loss on response tokens only: AdamW,
/// linear warmup + cosine decay, gradient accumulation, seeded shuffling, per-epoch validation loss
/// and answer accuracy, early stopping. Full fine-tuning trains every weight (embeddings, norms,
/// attention, feed-forward, output); with <see cref="TrainerOptions.Lora"/> only the adapter's A/B
/// matrices train and the base stays frozen. The weights stay on the CPU backend between calls;
/// <see cref="Checkpoint"/> gives them back with the original GGUF metadata, <see cref="Adapter"/>
/// the LoRA adapter.
/// </summary>
public sealed class LlamaTrainer : IDisposable
{
    private readonly LlamaCheckpoint _initial;
    private readonly TrainerOptions _options;
    private readonly ILogger _logger;
    private readonly GgmlBackendHandle _backend;
    private readonly ModelUnderTraining _model;
    private int _threads;

    /// <param name="adapter">
    /// LoRA mode only: the adapter to continue training (its options must equal <see cref="TrainerOptions.Lora"/>);
    /// null starts a fresh one (A seeded random, B zero: step 0 equals the base model).
    /// </param>
    public LlamaTrainer(LlamaCheckpoint initial, TrainerOptions options, ILogger<LlamaTrainer>? logger = null, LoraAdapter? adapter = null)
    {
        _initial = initial;
        _options = options.Validated();
        if (adapter is not null && _options.Lora is null)
            throw new ArgumentException("A LoRA adapter was given but the trainer options have no Lora settings (full fine-tuning).", nameof(adapter));
        if (adapter is not null && !SameOptions(adapter.Options, _options.Lora!))
            throw new ArgumentException($"The LoRA adapter was trained with rank {adapter.Options.Rank}, alpha {adapter.Options.Alpha}, targets {string.Join(",", adapter.Options.Targets)}; " +
                                        $"the trainer options say rank {_options.Lora!.Rank}, alpha {_options.Lora.Alpha}, targets {string.Join(",", _options.Lora.Targets)}.", nameof(adapter));
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _backend = GgmlBackendHandle.CreateCpu(_options.EffectiveThreads);
        try
        {
            _model = _options.Lora is { } lora
                ? ModelUnderTraining.Lora(_backend, initial, adapter ?? LoraAdapter.Initial(initial.Hyperparameters, lora, _options.Seed))
                : ModelUnderTraining.FullFineTuning(_backend, initial);
        }
        catch
        {
            _backend.Dispose();
            throw;
        }
    }

    public LlamaHyperparameters Hyperparameters => _model.Hyperparameters;

    /// <summary>Bytes of the last run's scheduler (activation) buffer, for sizing reports.</summary>
    public long LastComputeBufferBytes { get; private set; }

    /// <summary>The type the base tensor is held in on the backend (a frozen base opened from a file keeps its stored type).</summary>
    public Gguf.GgmlType BaseTensorType(string name) => _model.Base.TypeOf(name);

    /// <summary>Bytes of the base model's backend buffer.</summary>
    public long BaseBufferBytes => _model.Base.BufferBytes;

    /// <summary>True when only a LoRA adapter trains.</summary>
    public bool IsLora => _model.Adapter is not null;

    /// <summary>The tensors the optimizer updates: every weight, or in LoRA mode the A/B matrices only.</summary>
    public IReadOnlyList<TrainableTensor> Trainable => _model.Trainable;

    /// <summary>
    /// The current weights with the metadata and vocabulary of the model trained. In LoRA mode these
    /// are the (unchanged) base weights; the trained part is <see cref="Adapter"/>.
    /// </summary>
    public LlamaCheckpoint Checkpoint() => IsLora ? _initial : _initial.WithWeights(_model.Base.Download());

    /// <summary>The LoRA adapter's current A/B matrices with its options (LoRA mode only).</summary>
    public LoraAdapter Adapter() => _model.Adapter?.Download()
        ?? throw new InvalidOperationException("This trainer does full fine-tuning; there is no LoRA adapter (set TrainerOptions.Lora).");

    public TrainingResult Train(IReadOnlyList<TrainingRecord> training, IReadOnlyList<TrainingRecord> validation,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(_ => training, validation, progress, cancellationToken);

    /// <summary>
    /// Trains on a different record list per epoch (e.g. the next slice of a multi-task mixture):
    /// <paramref name="epochRecords"/> is called once per epoch, in order, and its records are shuffled
    /// as usual. The batch layout is fixed from epoch 0 and the validation records; a later epoch
    /// with a record that does not fit it is rejected. With <paramref name="checkpointing"/> the state
    /// is handed out every N steps, at each epoch end and when cancelled between steps, and a run can
    /// continue from such a state with the same loss curve (step-based runs; a time limit follows the clock).
    /// </summary>
    public TrainingResult Train(Func<int, IReadOnlyList<TrainingRecord>> epochRecords, IReadOnlyList<TrainingRecord> validation,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, TrainerCheckpointing? checkpointing = null)
    {
        checkpointing?.Validated();
        var h = _model.Hyperparameters;
        var firstEpoch = epochRecords(0);
        var layout = BatchLayout.For([.. firstEpoch, .. validation], _options, h.VocabSize, h.ContextLength);
        using var graph = new TrainingGraph(_backend, _model, layout, trainable: true, _options.Products);
        _logger.LogInformation("Training {Parameters:N0} of {Total:N0} parameters{Mode}: {Rows} rows x {Window} tokens ({Layout}), {Slots} answer slots, {Nodes} graph nodes",
            _model.TrainableParameterCount, h.ParameterCount, IsLora ? $" (LoRA rank {_options.Lora!.Rank} on {string.Join(",", _options.Lora.Targets)})" : "", layout.Rows, layout.TokensPerRow, layout.Records, layout.AnswerSlots, graph.NodeCount);

        var totalSteps = PlannedSteps(firstEpoch, layout);
        var schedule = LearningRateSchedule.From(_options, totalSteps);
        var resume = checkpointing?.ResumeFrom;
        var run = Start(resume, graph, totalSteps);
        var clock = new RunClock(run.ElapsedBefore);
        var budget = new TimeBudget(_options.MaxDuration, run, _logger);
        // A resumed run keeps the threads it had: re-probing mid-run would time different steps.
        var probe = resume is null && _options.ProbeThreads && _options.Threads == 0 && _options.EffectiveThreads > 1 ? new ThreadProbe(_options.EffectiveThreads) : null;
        SetThreads(resume is not null && _options.Threads == 0 && resume.Cursor.Threads > 0 ? resume.Cursor.Threads : _options.EffectiveThreads);
        // The order is the order of effects after a step: threads, progress, the planned end, the time limit, a checkpoint.
        ITrainingObserver?[] observers =
        [
            probe is null ? null : new ThreadProbeObserver(probe, run, clock.Elapsed, SetThreads, _logger),
            progress is null ? null : new ProgressReporter(progress, run, totalSteps, schedule, budget, clock),
            new PlannedStepLimit(run, totalSteps),
            budget,
            new EarlyStopping(_options, run, _model, _logger),
            checkpointing is null ? null : new CheckpointPolicy(checkpointing, graph, _options, run, totalSteps, budget, clock, () => _threads),
        ];
        var runner = new EpochRunner(graph, h.VocabSize, _options, schedule, budget, run, clock, validation, [.. observers.OfType<ITrainingObserver>()], _logger);
        for (var epoch = run.Epoch; epoch < _options.Epochs && run.Step < totalSteps && !budget.OutOfTime && !run.Finished; epoch++)
        {
            var training = epoch == 0 ? firstEpoch : layout.Checked(epochRecords(epoch), epoch, h.VocabSize);
            runner.Run(epoch, training, skip: epoch == run.Epoch ? run.BatchInEpoch : 0, cancellationToken);
            if (run.StoppedEarly) break;
        }

        if (run.BestWeights is not null && run.BestEpoch != run.Epochs.Count) _model.UploadTrainable(run.BestWeights);
        LastComputeBufferBytes = graph.ComputeBufferBytes(_backend);
        var total = clock.Elapsed;
        return new TrainingResult(run.Epochs, run.Step, run.StoppedEarly, run.BestEpoch, run.TrainedTokens / total.TotalSeconds, run.TrainedTokens, total)
        {
            StoppedByTimeLimit = budget.OutOfTime || run.StoppedByTimeLimit,
            PlannedSteps = totalSteps,
            Threads = _threads,
            AllCoresTokensPerSecond = probe?.AllCoresRate,
            OneCoreTokensPerSecond = probe?.OneCoreRate,
        };
    }

    /// <summary>The optimizer steps the schedule is planned for: epochs x steps per epoch (counted on epoch 0), capped by MaxSteps.</summary>
    private int PlannedSteps(IReadOnlyList<TrainingRecord> firstEpoch, BatchLayout layout)
    {
        var microBatchesPerEpoch = BatchPlanner.Group(EpochRunner.Shuffled(firstEpoch, _options.Seed, 0), layout).Count();
        var plannedSteps = _options.Epochs * microBatchesPerEpoch / _options.GradientAccumulation;
        return Math.Max(1, _options.MaxSteps > 0 ? Math.Min(_options.MaxSteps, plannedSteps) : plannedSteps);
    }

    /// <summary>Fresh counters, or the saved ones with the optimizer's moments back on the graph.</summary>
    private RunState Start(TrainerState? resume, TrainingGraph graph, int totalSteps)
    {
        if (resume is null) return new RunState();
        var run = RunState.From(resume, totalSteps);
        graph.UploadOptimizerState(resume.Optimizer);
        _logger.LogInformation("Resuming at step {Step} of {Total} (epoch {Epoch}, micro-batch {Batch})",
            run.Step, totalSteps, run.Epoch + 1, run.BatchInEpoch);
        return run;
    }

    /// <summary>Mean answer-token loss and accuracy of the current weights on <paramref name="records"/>.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<TrainingRecord> records)
    {
        var h = _model.Hyperparameters;
        var layout = BatchLayout.For(records, _options, h.VocabSize, h.ContextLength);
        using var graph = new TrainingGraph(_backend, _model, layout, trainable: false, _options.Products);
        return AnswerScoring.Evaluate(graph, records, h.VocabSize);
    }

    private void SetThreads(int threads)
    {
        GgmlCpu.ggml_backend_cpu_set_n_threads(_backend.Pointer, threads);
        _threads = threads;
    }

    private static bool SameOptions(LoraOptions a, LoraOptions b) =>
        a.Rank == b.Rank && a.Alpha == b.Alpha && a.Targets.Order(StringComparer.Ordinal).SequenceEqual(b.Targets.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    public void Dispose()
    {
        _model.Dispose();
        _backend.Dispose();
    }
}
