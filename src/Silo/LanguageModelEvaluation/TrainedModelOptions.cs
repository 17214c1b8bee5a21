namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// How <c>darwin eval</c> trains its <c>llm:</c> models: the budget in optimizer steps (so ablations
/// compare at equal steps, not wall time, which a shared machine makes unreliable), threads and seed.
/// </summary>
public sealed record TrainedModelOptions
{
    /// <summary>
    /// Optimizer steps of the multi-task stage; it also lifts the preset's wall-clock limit. Null:
    /// the preset's recipe (epochs, early stopping and time budget).
    /// </summary>
    public int? TrainSteps { get; init; }

    /// <summary>Optimizer steps of the QA stage (+qa specs); null for the preset's (one pass over the pairs).</summary>
    public int? QaSteps { get; init; }

    /// <summary>A QA-stage model to start from instead of training one (+qa specs), e.g. one shared by several evaluations.</summary>
    public string? QaModel { get; init; }

    /// <summary>CPU threads of training (0 = all cores; the preset's thread probe may pick fewer).</summary>
    public int Threads { get; init; }

    /// <summary>The seed one model is trained with (<see cref="FoldTraining"/>); an ensemble sets it per member.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// The seeds the evaluation trains (<c>--seed</c>/<c>--seeds</c>): one model per seed and fold, answering
    /// as an ensemble when there are several (see <see cref="EnsembleSeeds"/>).
    /// </summary>
    public IReadOnlyList<int> Seeds { get; init; } = EnsembleSeeds.Default;

    /// <summary>How the trained models answer regression tasks (median of their distribution by default).</summary>
    public Domain.Predictions.NumericEstimate Estimate { get; init; } = Domain.Predictions.NumericEstimate.Median;

    /// <summary>How many ways the trained models are asked about each candidate, answers pooled (<see cref="Inference.Prediction.PredictionOptions.Views"/>).</summary>
    public int Views { get; init; } = 1;

    /// <summary>Save a training checkpoint every this many steps, so a killed fold resumes near where it stopped.</summary>
    public int CheckpointEverySteps { get; init; } = 100;

    public TrainedModelOptions Validated()
    {
        if (TrainSteps is < 1) throw new ArgumentException($"--train-steps must be at least 1 (got {TrainSteps}).");
        if (QaSteps is < 1) throw new ArgumentException($"--qa-steps must be at least 1 (got {QaSteps}).");
        if (Threads < 0) throw new ArgumentException($"--threads must not be negative (got {Threads}).");
        if (Views is < 1 or > Inference.Prediction.PredictionOptions.MaxViews) throw new ArgumentException($"--views must be between 1 and {Inference.Prediction.PredictionOptions.MaxViews} (got {Views}).");
        if (CheckpointEverySteps < 0) throw new ArgumentException($"The checkpoint interval must not be negative (got {CheckpointEverySteps}).");
        if (QaModel is not null && !File.Exists(QaModel)) throw new ArgumentException($"--qa-model: there is no model file '{Path.GetFullPath(QaModel)}'.");
        return this with { Seeds = EnsembleSeeds.Check(Seeds) };
    }
}
