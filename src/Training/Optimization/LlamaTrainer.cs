using System.Diagnostics;
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

        var microBatchesPerEpoch = BatchPlanner.Group(Shuffled(firstEpoch, 0), layout).Count();
        var plannedSteps = _options.Epochs * microBatchesPerEpoch / _options.GradientAccumulation;
        var totalSteps = Math.Max(1, _options.MaxSteps > 0 ? Math.Min(_options.MaxSteps, plannedSteps) : plannedSteps);
        var schedule = LearningRateSchedule.From(_options, totalSteps);

        var resume = checkpointing?.ResumeFrom;
        var run = resume is null ? new RunState() : RunState.From(resume, totalSteps);
        if (resume is not null)
        {
            graph.UploadOptimizerState(resume.Optimizer);
            _logger.LogInformation("Resuming at step {Step} of {Total} (epoch {Epoch}, micro-batch {Batch})",
                run.Step, totalSteps, run.Epoch + 1, run.BatchInEpoch);
        }
        var clock = Stopwatch.StartNew();
        TimeSpan Elapsed() => run.ElapsedBefore + clock.Elapsed;
        var lastSavedStep = resume is null ? -1 : run.Step;
        void Save(int epoch, int batchInEpoch, bool finished, bool stoppedByTime = false)
        {
            if (checkpointing is null) return;
            var optimizer = graph.DownloadOptimizerState();
            if (optimizer.FirstNonFinite() is { } bad)
                throw new TrainingDivergedException($"Training diverged: tensor '{bad}' is not finite at step {run.Step} (lower the learning rate); no checkpoint was written.");
            checkpointing.Save(new TrainerState(run.Cursor(epoch, batchInEpoch, totalSteps, Elapsed(), _threads, stoppedByTime, finished), optimizer, run.BestWeights));
            lastSavedStep = run.Step;
        }

        var outOfTime = false;
        // A resumed run keeps the threads it had: re-probing mid-run would time different steps.
        var probe = resume is null && _options.ProbeThreads && _options.Threads == 0 && _options.EffectiveThreads > 1 ? new ThreadProbe(_options.EffectiveThreads) : null;
        SetThreads(resume is not null && _options.Threads == 0 && resume.Cursor.Threads > 0 ? resume.Cursor.Threads : _options.EffectiveThreads);
        var lastStepAt = Elapsed();
        var tokensAtLastStep = run.TrainedTokens;
        for (var epoch = run.Epoch; epoch < _options.Epochs && run.Step < totalSteps && !outOfTime && !run.Finished; epoch++)
        {
            var training = epoch == 0 ? firstEpoch : layout.Checked(epochRecords(epoch), epoch, h.VocabSize);
            var skip = epoch == run.Epoch ? run.BatchInEpoch : 0;
            if (skip == 0) run.StartEpoch();
            var batchInEpoch = skip;
            double stepLossSum = 0;
            var stepAnswers = 0;
            foreach (var rows in BatchPlanner.Group(Shuffled(training, epoch), layout).Skip(skip))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    // Between optimizer steps the state is complete: keep it so the run can go on from here.
                    if (run.MicroStep % _options.GradientAccumulation == 0 && run.Step != lastSavedStep) Save(epoch, batchInEpoch, finished: false);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var batch = BatchPlanner.Build(rows, layout);
                batchInEpoch++;
                if (batch.AnswerCount == 0) continue;
                // Loss = mean NLL per answer token of this micro-batch, divided over the accumulation.
                graph.Upload(batch, h.VocabSize, (float)layout.AnswerSlots / batch.AnswerCount / _options.GradientAccumulation);
                var optimizerStep = (run.MicroStep + 1) % _options.GradientAccumulation == 0;
                var learningRate = schedule.At(run.Step, TimeFraction(Elapsed()));
                if (optimizerStep)
                {
                    graph.SetOptimizerStep(_options, learningRate, run.Step + 1);
                    graph.ComputeOptimize();
                }
                else
                {
                    graph.ComputeAccumulate();
                }
                run.MicroStep++;
                run.TrainedTokens += batch.RecordTokens;
                var loss = Scalar(graph.Loss) * _options.GradientAccumulation;
                if (!double.IsFinite(loss))
                    throw new TrainingDivergedException($"Training diverged: the loss is {loss} at step {run.Step + 1} (lower the learning rate).");
                run.EpochLossSum += loss * batch.AnswerCount;
                run.EpochAnswers += batch.AnswerCount;
                stepLossSum += loss * batch.AnswerCount;
                stepAnswers += batch.AnswerCount;
                run.EpochCorrect += CountCorrect(graph, batch);
                if (!optimizerStep) continue;

                run.Step++;
                var elapsed = Elapsed();
                if (probe is { Done: false })
                {
                    if (probe.AfterStep(run.Step, run.TrainedTokens - tokensAtLastStep, elapsed - lastStepAt) is { } threads) SetThreads(threads);
                    if (probe.Done)
                        _logger.LogInformation("Thread probe: {All:F0} tokens/s on {Cores} threads, {One:F0} on 1; training goes on with {Threads}",
                            probe.AllCoresRate, probe.Cores, probe.OneCoreRate, probe.Threads);
                }
                lastStepAt = elapsed;
                tokensAtLastStep = run.TrainedTokens;
                progress?.Report(new TrainingProgress(TrainingProgressKind.Step, epoch + 1, run.Step, totalSteps, run.EpochLossSum / run.EpochAnswers,
                    learningRate, run.TrainedTokens / elapsed.TotalSeconds, elapsed, Remaining(elapsed, run.Step, totalSteps), run.TrainedTokens)
                {
                    StepLoss = stepLossSum / stepAnswers,
                });
                stepLossSum = 0;
                stepAnswers = 0;
                if (run.Step >= totalSteps) break;
                if (_options.MaxDuration is { } limit && elapsed >= limit)
                {
                    // Stop mid-epoch; the partial epoch is still validated so the result is scored.
                    outOfTime = true;
                    _logger.LogInformation("Stopping at step {Step}: the time limit of {Limit} is reached", run.Step, limit);
                    break;
                }
                if (checkpointing is { EverySteps: > 0 } && run.Step % checkpointing.EverySteps == 0) Save(epoch, batchInEpoch, finished: false);
            }

            var validationResult = validation.Count > 0 ? Evaluate(graph, validation) : null;
            var summary = new EpochSummary(epoch + 1, run.EpochAnswers > 0 ? run.EpochLossSum / run.EpochAnswers : double.NaN,
                run.EpochAnswers > 0 ? (double)run.EpochCorrect / run.EpochAnswers : double.NaN, validationResult);
            run.Epochs.Add(summary);
            _logger.LogInformation("Epoch {Epoch}: train loss {TrainLoss:F4} accuracy {TrainAccuracy:P1}, validation loss {ValidationLoss:F4} accuracy {ValidationAccuracy:P1}",
                summary.Epoch, summary.TrainLoss, summary.TrainAccuracy, validationResult?.Loss, validationResult?.Accuracy);
            var now = Elapsed();
            progress?.Report(new TrainingProgress(TrainingProgressKind.Epoch, epoch + 1, run.Step, totalSteps, summary.TrainLoss,
                schedule.At(Math.Max(0, run.Step - 1), TimeFraction(now)), run.TrainedTokens / now.TotalSeconds, now, Remaining(now, run.Step, totalSteps),
                run.TrainedTokens, validationResult?.Loss, validationResult?.Accuracy));

            if (validationResult is not null)
            {
                if (validationResult.Loss < run.BestLoss - _options.EarlyStoppingMinDelta)
                {
                    run.BestLoss = validationResult.Loss;
                    run.BestEpoch = epoch + 1;
                    run.EpochsWithoutImprovement = 0;
                    if (_options.RestoreBestWeights && epoch + 1 < _options.Epochs) run.BestWeights = _model.DownloadTrainable();
                }
                else if (_options.EarlyStoppingPatience > 0 && ++run.EpochsWithoutImprovement >= _options.EarlyStoppingPatience)
                {
                    run.StoppedEarly = true;
                    _logger.LogInformation("Stopping early: validation loss has not improved for {Epochs} epochs", run.EpochsWithoutImprovement);
                }
            }
            var last = run.StoppedEarly || outOfTime || run.Step >= totalSteps || epoch + 1 >= _options.Epochs;
            // Mid-accumulation (an epoch that ends inside an optimizer step) the gradient sums are not saved: wait for the next step.
            if (run.MicroStep % _options.GradientAccumulation == 0) Save(epoch + 1, 0, finished: last, stoppedByTime: outOfTime);
            if (run.StoppedEarly) break;
        }

        if (run.BestWeights is not null && run.BestEpoch != run.Epochs.Count) _model.UploadTrainable(run.BestWeights);
        LastComputeBufferBytes = graph.ComputeBufferBytes(_backend);
        var total = Elapsed();
        return new TrainingResult(run.Epochs, run.Step, run.StoppedEarly, run.BestEpoch, run.TrainedTokens / total.TotalSeconds, run.TrainedTokens, total)
        {
            StoppedByTimeLimit = outOfTime || run.StoppedByTimeLimit,
            PlannedSteps = totalSteps,
            Threads = _threads,
            AllCoresTokensPerSecond = probe?.AllCoresRate,
            OneCoreTokensPerSecond = probe?.OneCoreRate,
        };
    }

    /// <summary>Mean answer-token loss and accuracy of the current weights on <paramref name="records"/>.</summary>
    public EvaluationResult Evaluate(IReadOnlyList<TrainingRecord> records)
    {
        var h = _model.Hyperparameters;
        var layout = BatchLayout.For(records, _options, h.VocabSize, h.ContextLength);
        using var graph = new TrainingGraph(_backend, _model, layout, trainable: false, _options.Products);
        return Evaluate(graph, records);
    }

    private EvaluationResult Evaluate(TrainingGraph graph, IReadOnlyList<TrainingRecord> records)
    {
        double lossSum = 0;
        int answers = 0, correct = 0;
        foreach (var batch in BatchPlanner.Plan(records, graph.Layout))
        {
            if (batch.AnswerCount == 0) continue;
            graph.Upload(batch, _model.Hyperparameters.VocabSize, (float)graph.Layout.AnswerSlots / batch.AnswerCount);
            graph.ComputeForward();
            lossSum += Scalar(graph.Loss) * batch.AnswerCount;
            answers += batch.AnswerCount;
            correct += CountCorrect(graph, batch);
        }
        return new EvaluationResult(answers > 0 ? lossSum / answers : double.NaN, answers > 0 ? (double)correct / answers : double.NaN, answers);
    }

    private static int CountCorrect(TrainingGraph graph, TrainingBatch batch)
    {
        var predicted = GgmlTensorData.Get<int>(graph.Predictions);
        var correct = 0;
        for (var slot = 0; slot < batch.Targets.Length; slot++)
        {
            if (batch.Targets[slot] >= 0 && predicted[slot] == batch.Targets[slot]) correct++;
        }
        return correct;
    }

    private void SetThreads(int threads)
    {
        GgmlCpu.ggml_backend_cpu_set_n_threads(_backend.Pointer, threads);
        _threads = threads;
    }

    private double TimeFraction(TimeSpan elapsed) => _options.MaxDuration is { } limit ? elapsed / limit : 0;

    /// <summary>At the current pace, capped by the time limit.</summary>
    private TimeSpan Remaining(TimeSpan elapsed, int step, int totalSteps)
    {
        var atPace = step > 0 ? elapsed / step * (totalSteps - step) : TimeSpan.Zero;
        return _options.MaxDuration is { } limit && limit - elapsed < atPace ? (limit > elapsed ? limit - elapsed : TimeSpan.Zero) : atPace;
    }

    private static bool SameOptions(LoraOptions a, LoraOptions b) =>
        a.Rank == b.Rank && a.Alpha == b.Alpha && a.Targets.Order(StringComparer.Ordinal).SequenceEqual(b.Targets.Order(StringComparer.Ordinal), StringComparer.Ordinal);

    private static double Scalar(nint tensor) => GgmlTensorData.GetScalar(tensor);

    private IEnumerable<TrainingRecord> Shuffled(IReadOnlyList<TrainingRecord> records, int epoch)
    {
        var order = records.ToArray();
        new Random(unchecked(_options.Seed * 1_000_003 + epoch)).Shuffle(order);
        return order;
    }

    public void Dispose()
    {
        _model.Dispose();
        _backend.Dispose();
    }
}
