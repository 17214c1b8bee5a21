using DarwinGrid.Training.Lora;

namespace DarwinGrid.Training.Optimization;

/// <summary>How to lay records out in the fixed-size token windows of a batch.</summary>
public enum RecordLayout
{
    /// <summary>One record per row, right-padded to the window length.</summary>
    Padded,

    /// <summary>Several records per row; the attention mask keeps each record to itself.</summary>
    Packed,
}

/// <summary>Settings of a training run (AdamW, warmup + cosine decay, accumulation, early stop).</summary>
public sealed record TrainerOptions
{
    /// <summary>Rows per micro-batch.</summary>
    public int BatchRows { get; init; } = 8;

    /// <summary>
    /// Tokens per row; 0 = the longest record. Longer windows cost more than their share: attention
    /// grows with T squared (measured before the backward used sgemm: 128x4 model, T 79 -> 3.1k
    /// tokens/s, T 158 -> 0.9k; since then 96 vs 144 tokens per row made no measurable difference).
    /// </summary>
    public int WindowLength { get; init; }

    /// <summary>Packed: short records share a row (same speed per token as padding at the same window, fewer rows).</summary>
    public RecordLayout Layout { get; init; } = RecordLayout.Packed;

    /// <summary>
    /// 0: room for the answers of the longest responses in every row (never limits packing). Above 0:
    /// room for this multiple of the answer tokens an average full batch holds; a batch closes early
    /// when its answers would not fit. The output head runs on every slot, so with a large vocabulary
    /// fewer slots are measurably faster.
    /// </summary>
    public double AnswerSlotHeadroom { get; init; }

    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>The cosine decay ends at this fraction of <see cref="LearningRate"/>.</summary>
    public float MinLearningRateFraction { get; init; } = 0.1f;

    /// <summary>Optimizer steps of linear warmup from ~0 to <see cref="LearningRate"/>.</summary>
    public int WarmupSteps { get; init; }

    public float Beta1 { get; init; } = 0.9f;
    public float Beta2 { get; init; } = 0.999f;
    public float Epsilon { get; init; } = 1e-8f;

    /// <summary>Decoupled weight decay for matrices and embeddings; norm weights are never decayed.</summary>
    public float WeightDecay { get; init; }

    /// <summary>Micro-batches whose gradients are summed before one optimizer step.</summary>
    public int GradientAccumulation { get; init; } = 1;

    public int Epochs { get; init; } = 1;

    /// <summary>Stop after this many optimizer steps (0 = no limit besides <see cref="Epochs"/>).</summary>
    public int MaxSteps { get; init; }

    /// <summary>
    /// Stop after the optimizer step that reaches this wall-clock time (null = no limit). The cosine
    /// decay follows the clock when it is ahead of the steps, so a run on a slow machine still ends at
    /// the floor rate (having seen fewer examples) rather than being cut at a high one.
    /// </summary>
    public TimeSpan? MaxDuration { get; init; }

    /// <summary>Seed of the per-epoch shuffle.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Stop when validation loss has not improved by <see cref="EarlyStoppingMinDelta"/> for this many epochs (0 = never).</summary>
    public int EarlyStoppingPatience { get; init; }

    public float EarlyStoppingMinDelta { get; init; } = 1e-4f;

    /// <summary>At the end, put back the weights of the epoch with the best validation loss.</summary>
    public bool RestoreBestWeights { get; init; } = true;

    /// <summary>CPU threads (0 = all cores).</summary>
    public int Threads { get; init; }

    /// <summary>
    /// With <see cref="Threads"/> 0 on a multi-core machine: time the first steps on all cores and on
    /// one core and keep the faster (see <see cref="ThreadProbe"/>); the steps still train.
    /// </summary>
    public bool ProbeThreads { get; init; }

    /// <summary>
    /// Which code computes the matrix products, forward and backward (see <see cref="Kernels.ProductKernel"/>).
    /// Same results to float rounding; other than Auto only to compare.
    /// </summary>
    public Kernels.ProductKernel Products { get; init; } = Kernels.ProductKernel.Auto;

    /// <summary>Null: full fine-tuning (every tensor trainable). Set: only LoRA adapter matrices train; the base is frozen.</summary>
    public LoraOptions? Lora { get; init; }

    public TrainerOptions Validated()
    {
        Lora?.Validated();
        Require(BatchRows >= 1, $"BatchRows must be at least 1 (got {BatchRows})");
        Require(WindowLength >= 0, $"WindowLength must not be negative (got {WindowLength})");
        Require(LearningRate > 0 && float.IsFinite(LearningRate), $"LearningRate must be positive (got {LearningRate})");
        Require(MinLearningRateFraction is >= 0 and <= 1, $"MinLearningRateFraction must be in [0, 1] (got {MinLearningRateFraction})");
        Require(WarmupSteps >= 0, $"WarmupSteps must not be negative (got {WarmupSteps})");
        Require(Beta1 is >= 0 and < 1 && Beta2 is >= 0 and < 1, $"betas must be in [0, 1) (got {Beta1}, {Beta2})");
        Require(Epsilon > 0, $"Epsilon must be positive (got {Epsilon})");
        Require(WeightDecay >= 0, $"WeightDecay must not be negative (got {WeightDecay})");
        Require(GradientAccumulation >= 1, $"GradientAccumulation must be at least 1 (got {GradientAccumulation})");
        Require(Epochs >= 1, $"Epochs must be at least 1 (got {Epochs})");
        Require(AnswerSlotHeadroom == 0 || AnswerSlotHeadroom >= 1, $"AnswerSlotHeadroom must be 0 (off) or at least 1 (got {AnswerSlotHeadroom})");
        Require(MaxSteps >= 0, $"MaxSteps must not be negative (got {MaxSteps})");
        Require(EarlyStoppingPatience >= 0, $"EarlyStoppingPatience must not be negative (got {EarlyStoppingPatience})");
        Require(Threads >= 0, $"Threads must not be negative (got {Threads})");
        Require(MaxDuration is null || MaxDuration > TimeSpan.Zero, $"MaxDuration must be positive (got {MaxDuration})");
        return this;
    }

    public int EffectiveThreads => Threads > 0 ? Threads : Environment.ProcessorCount;

    private static void Require(bool condition, string message)
    {
        if (!condition) throw new ArgumentException($"Invalid trainer options: {message}.");
    }
}
