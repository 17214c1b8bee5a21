using System.Diagnostics;
using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Trains every weight of a LLaMA model (embeddings, norms, attention, feed-forward, output) on
/// prompt/response records with the loss on response tokens only: AdamW, linear warmup + cosine
/// decay, gradient accumulation, seeded shuffling, per-epoch validation loss and answer accuracy,
/// early stopping. The weights stay on the CPU backend between calls; <see cref="Checkpoint"/>
/// gives them back with the original GGUF metadata.
/// </summary>
public sealed class LlamaTrainer : IDisposable
{
    private readonly LlamaCheckpoint _initial;
    private readonly TrainerOptions _options;
    private readonly ILogger _logger;
    private readonly GgmlBackendHandle _backend;
    private readonly LlamaModelTensors _model;
    private int _threads;

    public LlamaTrainer(LlamaCheckpoint initial, TrainerOptions options, ILogger<LlamaTrainer>? logger = null)
    {
        _initial = initial;
        _options = options.Validated();
        if (_options.Lora is not null) throw new NotSupportedException("LoRA training is not implemented yet.");
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _backend = GgmlBackendHandle.CreateCpu(_options.EffectiveThreads);
        try
        {
            _model = LlamaModelTensors.Load(_backend, initial, trainable: true);
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

    /// <summary>The current weights with the metadata and vocabulary of the model trained.</summary>
    public LlamaCheckpoint Checkpoint() => _initial.WithWeights(_model.Download());

    public TrainingResult Train(IReadOnlyList<TrainingRecord> training, IReadOnlyList<TrainingRecord> validation,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Train(_ => training, validation, progress, cancellationToken);

    /// <summary>
    /// Trains on a different record list per epoch (e.g. the next slice of a multi-task mixture):
    /// <paramref name="epochRecords"/> is called once per epoch, in order, and its records are shuffled
    /// as usual. The batch layout is fixed from epoch 0 and the validation records; a later epoch
    /// with a record that does not fit it is rejected.
    /// </summary>
    public TrainingResult Train(Func<int, IReadOnlyList<TrainingRecord>> epochRecords, IReadOnlyList<TrainingRecord> validation,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var h = _model.Hyperparameters;
        var firstEpoch = epochRecords(0);
        var layout = BatchLayout.For([.. firstEpoch, .. validation], _options, h.VocabSize, h.ContextLength);
        using var graph = new TrainingGraph(_backend, _model, layout, trainable: true, _options.OutProdAsMatMul);
        _logger.LogInformation("Training {Parameters:N0} parameters: {Rows} rows x {Window} tokens ({Layout}), {Slots} answer slots, {Nodes} graph nodes",
            h.ParameterCount, layout.Rows, layout.TokensPerRow, layout.Records, layout.AnswerSlots, graph.NodeCount);

        var microBatchesPerEpoch = BatchPlanner.Group(Shuffled(firstEpoch, 0), layout).Count();
        var plannedSteps = _options.Epochs * microBatchesPerEpoch / _options.GradientAccumulation;
        var totalSteps = Math.Max(1, _options.MaxSteps > 0 ? Math.Min(_options.MaxSteps, plannedSteps) : plannedSteps);
        var schedule = LearningRateSchedule.From(_options, totalSteps);

        var epochs = new List<EpochSummary>();
        var clock = Stopwatch.StartNew();
        long trainedTokens = 0;
        int step = 0, micro = 0, bestEpoch = -1, epochsWithoutImprovement = 0;
        var bestLoss = double.PositiveInfinity;
        Dictionary<string, float[]>? bestWeights = null;
        var stoppedEarly = false;

        var outOfTime = false;
        var probe = _options.ProbeThreads && _options.Threads == 0 && _options.EffectiveThreads > 1 ? new ThreadProbe(_options.EffectiveThreads) : null;
        SetThreads(_options.EffectiveThreads);
        var lastStepAt = TimeSpan.Zero;
        var tokensAtLastStep = 0L;
        for (var epoch = 0; epoch < _options.Epochs && step < totalSteps && !outOfTime; epoch++)
        {
            var training = epoch == 0 ? firstEpoch : layout.Checked(epochRecords(epoch), epoch, h.VocabSize);
            double lossSum = 0, stepLossSum = 0;
            int answerSum = 0, correctSum = 0, stepAnswers = 0;
            foreach (var batch in BatchPlanner.Plan(Shuffled(training, epoch), layout))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (batch.AnswerCount == 0) continue;
                // Loss = mean NLL per answer token of this micro-batch, divided over the accumulation.
                graph.Upload(batch, h.VocabSize, (float)layout.AnswerSlots / batch.AnswerCount / _options.GradientAccumulation);
                var optimizerStep = (micro + 1) % _options.GradientAccumulation == 0;
                var learningRate = schedule.At(step, TimeFraction(clock.Elapsed));
                if (optimizerStep)
                {
                    graph.SetOptimizerStep(_options, learningRate, step + 1);
                    graph.ComputeOptimize();
                }
                else
                {
                    graph.ComputeAccumulate();
                }
                micro++;
                trainedTokens += batch.RecordTokens;
                var loss = Scalar(graph.Loss) * _options.GradientAccumulation;
                if (!double.IsFinite(loss))
                    throw new InvalidOperationException($"Training diverged: the loss is {loss} at step {step} (lower the learning rate).");
                lossSum += loss * batch.AnswerCount;
                answerSum += batch.AnswerCount;
                stepLossSum += loss * batch.AnswerCount;
                stepAnswers += batch.AnswerCount;
                correctSum += CountCorrect(graph, batch);
                if (!optimizerStep) continue;

                step++;
                var elapsed = clock.Elapsed;
                if (probe is { Done: false })
                {
                    if (probe.AfterStep(step, trainedTokens - tokensAtLastStep, elapsed - lastStepAt) is { } threads) SetThreads(threads);
                    if (probe.Done)
                        _logger.LogInformation("Thread probe: {All:F0} tokens/s on {Cores} threads, {One:F0} on 1; training goes on with {Threads}",
                            probe.AllCoresRate, probe.Cores, probe.OneCoreRate, probe.Threads);
                }
                lastStepAt = elapsed;
                tokensAtLastStep = trainedTokens;
                progress?.Report(new TrainingProgress(TrainingProgressKind.Step, epoch + 1, step, totalSteps, lossSum / answerSum,
                    learningRate, trainedTokens / elapsed.TotalSeconds, elapsed, Remaining(elapsed, step, totalSteps), trainedTokens)
                {
                    StepLoss = stepLossSum / stepAnswers,
                });
                stepLossSum = 0;
                stepAnswers = 0;
                if (step >= totalSteps) break;
                if (_options.MaxDuration is { } limit && elapsed >= limit)
                {
                    // Stop mid-epoch; the partial epoch is still validated so the result is scored.
                    outOfTime = true;
                    _logger.LogInformation("Stopping at step {Step}: the time limit of {Limit} is reached", step, limit);
                    break;
                }
            }

            var validationResult = validation.Count > 0 ? Evaluate(graph, validation) : null;
            var summary = new EpochSummary(epoch + 1, answerSum > 0 ? lossSum / answerSum : double.NaN,
                answerSum > 0 ? (double)correctSum / answerSum : double.NaN, validationResult);
            epochs.Add(summary);
            _logger.LogInformation("Epoch {Epoch}: train loss {TrainLoss:F4} accuracy {TrainAccuracy:P1}, validation loss {ValidationLoss:F4} accuracy {ValidationAccuracy:P1}",
                summary.Epoch, summary.TrainLoss, summary.TrainAccuracy, validationResult?.Loss, validationResult?.Accuracy);
            var now = clock.Elapsed;
            progress?.Report(new TrainingProgress(TrainingProgressKind.Epoch, epoch + 1, step, totalSteps, summary.TrainLoss,
                schedule.At(Math.Max(0, step - 1), TimeFraction(now)), trainedTokens / now.TotalSeconds, now, Remaining(now, step, totalSteps),
                trainedTokens, validationResult?.Loss, validationResult?.Accuracy));

            if (validationResult is null) continue;
            if (validationResult.Loss < bestLoss - _options.EarlyStoppingMinDelta)
            {
                bestLoss = validationResult.Loss;
                bestEpoch = epoch + 1;
                epochsWithoutImprovement = 0;
                if (_options.RestoreBestWeights && epoch + 1 < _options.Epochs) bestWeights = _model.Download();
            }
            else if (_options.EarlyStoppingPatience > 0 && ++epochsWithoutImprovement >= _options.EarlyStoppingPatience)
            {
                stoppedEarly = true;
                _logger.LogInformation("Stopping early: validation loss has not improved for {Epochs} epochs", epochsWithoutImprovement);
                break;
            }
        }

        if (bestWeights is not null && bestEpoch != epochs.Count) _model.Upload(bestWeights);
        LastComputeBufferBytes = graph.ComputeBufferBytes(_backend);
        var total = clock.Elapsed;
        return new TrainingResult(epochs, step, stoppedEarly, bestEpoch, trainedTokens / total.TotalSeconds, trainedTokens, total)
        {
            StoppedByTimeLimit = outOfTime,
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
        using var graph = new TrainingGraph(_backend, _model, layout, trainable: false);
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
