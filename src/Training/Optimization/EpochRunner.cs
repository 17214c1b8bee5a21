using Microsoft.Extensions.Logging;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// Runs one epoch, as ggml-opt's <c>llama_opt_epoch</c> does: the epoch's records shuffled and grouped
/// into micro-batches, forward/backward on each, an AdamW step every <see cref="TrainerOptions.GradientAccumulation"/>
/// micro-batches, then validation and the epoch summary. Everything else (progress, checkpoints,
/// early stop, time budget, thread probe) is an <see cref="ITrainingObserver"/>.
/// </summary>
internal sealed class EpochRunner(
    TrainingGraph graph,
    int vocabSize,
    TrainerOptions options,
    LearningRateSchedule schedule,
    TimeBudget budget,
    RunState run,
    RunClock clock,
    IReadOnlyList<TrainingRecord> validation,
    IReadOnlyList<ITrainingObserver> observers,
    ILogger logger)
{
    /// <summary>Trains <paramref name="training"/> as epoch <paramref name="epoch"/> (0-based), skipping its first <paramref name="skip"/> micro-batches (done before a resume).</summary>
    public void Run(int epoch, IReadOnlyList<TrainingRecord> training, int skip, CancellationToken cancellationToken)
    {
        if (skip == 0) run.StartEpoch();
        TrainSteps(epoch, training, skip, cancellationToken);
        var validationResult = validation.Count > 0 ? AnswerScoring.Evaluate(graph, validation, vocabSize) : null;
        var summary = new EpochSummary(epoch + 1, run.EpochAnswers > 0 ? run.EpochLossSum / run.EpochAnswers : double.NaN,
            run.EpochAnswers > 0 ? (double)run.EpochCorrect / run.EpochAnswers : double.NaN, validationResult);
        run.Epochs.Add(summary);
        logger.LogInformation("Epoch {Epoch}: train loss {TrainLoss:F4} accuracy {TrainAccuracy:P1}, validation loss {ValidationLoss:F4} accuracy {ValidationAccuracy:P1}",
            summary.Epoch, summary.TrainLoss, summary.TrainAccuracy, validationResult?.Loss, validationResult?.Accuracy);
        foreach (var observer in observers) observer.AfterEpoch(epoch, summary);
    }

    private void TrainSteps(int epoch, IReadOnlyList<TrainingRecord> training, int skip, CancellationToken cancellationToken)
    {
        var batchInEpoch = skip;
        double stepLossSum = 0;
        var stepAnswers = 0;
        foreach (var rows in BatchPlanner.Group(Shuffled(training, options.Seed, epoch), graph.Layout).Skip(skip))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                foreach (var observer in observers) observer.Cancelled(epoch, batchInEpoch);
                cancellationToken.ThrowIfCancellationRequested();
            }
            var batch = BatchPlanner.Build(rows, graph.Layout);
            batchInEpoch++;
            if (batch.AnswerCount == 0) continue;
            var (optimizerStep, learningRate, loss) = TrainMicroBatch(batch);
            stepLossSum += loss * batch.AnswerCount;
            stepAnswers += batch.AnswerCount;
            if (!optimizerStep) continue;

            run.Step++;
            var step = new StepEnd(epoch, batchInEpoch, learningRate, stepLossSum / stepAnswers, clock.Elapsed);
            stepLossSum = 0;
            stepAnswers = 0;
            if (observers.Any(observer => observer.AfterStep(step))) return;
        }
    }

    /// <summary>Forward/backward on one micro-batch, and the optimizer step when it completes an accumulation.</summary>
    private (bool OptimizerStep, float LearningRate, double Loss) TrainMicroBatch(TrainingBatch batch)
    {
        // Loss = mean NLL per answer token of this micro-batch, divided over the accumulation.
        graph.Upload(batch, vocabSize, (float)graph.Layout.AnswerSlots / batch.AnswerCount / options.GradientAccumulation);
        var optimizerStep = (run.MicroStep + 1) % options.GradientAccumulation == 0;
        var learningRate = schedule.At(run.Step, budget.Fraction(clock.Elapsed));
        if (optimizerStep)
        {
            graph.SetOptimizerStep(options, learningRate, run.Step + 1);
            graph.ComputeOptimize();
        }
        else
        {
            graph.ComputeAccumulate();
        }
        run.MicroStep++;
        run.TrainedTokens += batch.RecordTokens;
        var loss = AnswerScoring.Loss(graph) * options.GradientAccumulation;
        if (!double.IsFinite(loss))
            throw new TrainingDivergedException($"Training diverged: the loss is {loss} at step {run.Step + 1} (lower the learning rate).");
        run.EpochLossSum += loss * batch.AnswerCount;
        run.EpochAnswers += batch.AnswerCount;
        run.EpochCorrect += AnswerScoring.CountCorrect(graph, batch);
        return (optimizerStep, learningRate, loss);
    }

    /// <summary>The epoch's record order: seeded per epoch, so a resumed run sees the same batches.</summary>
    public static IEnumerable<TrainingRecord> Shuffled(IReadOnlyList<TrainingRecord> records, int seed, int epoch)
    {
        var order = records.ToArray();
        new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order);
        return order;
    }
}
