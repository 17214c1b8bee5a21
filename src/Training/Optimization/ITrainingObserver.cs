namespace DarwinGrid.Training.Optimization;

/// <summary>
/// One concern of a training run (progress, checkpoints, early stop, time budget, thread probe),
/// called by <see cref="EpochRunner"/> the way ggml-opt's <c>llama_opt_epoch</c> calls its callback.
/// Observers run in the order they are given; that order is part of the run's behaviour.
/// </summary>
internal interface ITrainingObserver
{
    /// <summary>After an optimizer step. True ends the epoch here (its validation still runs); later observers are not called.</summary>
    bool AfterStep(StepEnd step) => false;

    /// <summary>After an epoch's validation and summary.</summary>
    void AfterEpoch(int epoch, EpochSummary summary) { }

    /// <summary>Cancellation was seen before micro-batch <paramref name="batchInEpoch"/> of <paramref name="epoch"/> (0-based); the run throws after this.</summary>
    void Cancelled(int epoch, int batchInEpoch) { }
}

/// <summary>An optimizer step just taken: <paramref name="Epoch"/> is 0-based, <paramref name="BatchInEpoch"/> the micro-batches done in it.</summary>
internal readonly record struct StepEnd(int Epoch, int BatchInEpoch, float LearningRate, double StepLoss, TimeSpan Elapsed);
