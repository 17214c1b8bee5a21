namespace DarwinGrid.Training.Data;

/// <summary>One task's part of an epoch of the mixture.</summary>
/// <param name="TrainRecords">n_i, the task's training records.</param>
/// <param name="Weight">w_i.</param>
/// <param name="Proportion">w_i·n_i^α / Σ w_j·n_j^α, the task's intended share of an epoch.</param>
/// <param name="ExamplesPerEpoch">All examples of the task per epoch (records plus distractors).</param>
/// <param name="DistractorsPerEpoch">How many of those are distractors.</param>
public sealed record TaskShare(string Task, int TrainRecords, double Weight, double Proportion, int ExamplesPerEpoch, int DistractorsPerEpoch)
{
    public int RecordExamplesPerEpoch => ExamplesPerEpoch - DistractorsPerEpoch;

    /// <summary>How often each training record is seen per epoch on average (below 1: down-sampled).</summary>
    public double RepeatsPerEpoch => (double)RecordExamplesPerEpoch / TrainRecords;
}
