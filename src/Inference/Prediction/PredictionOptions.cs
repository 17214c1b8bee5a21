using DarwinGrid.Domain.Predictions;
using DarwinGrid.Inference.Decoding;

namespace DarwinGrid.Inference.Prediction;

/// <summary>How a <see cref="PropertyPredictor"/> asks its model.</summary>
public sealed record PredictionOptions
{
    /// <summary>The prompt format the model was trained with ("darwin" for DARWIN 1.5 and darwin-mini).</summary>
    public string PromptFormat { get; init; } = "darwin";

    /// <summary>Which of the task's paraphrased instructions to ask with.</summary>
    public int InstructionIndex { get; init; }

    /// <summary>
    /// Most tokens a numeric answer may take. A number the cap cuts short is an error, never a
    /// value; 32 holds Python's longest float spellings (" 2.6089602587020866e-09") even with one
    /// token per character.
    /// </summary>
    public int MaxNumericTokens { get; init; } = 32;

    /// <summary>
    /// Which number a regression prediction reports: the median (default) or mean of the model's
    /// distribution over the whole number, or one greedy decode (DARWIN's own evaluation).
    /// </summary>
    public NumericEstimate Estimate { get; init; } = NumericEstimate.Median;

    /// <summary>How many whole numbers are drawn for the distribution (median and mean estimates).</summary>
    public NumericSamplingOptions Sampling { get; init; } = NumericSamplingOptions.Default;

    /// <summary>A beam search instead of sampling for the distribution (null: sample; see <see cref="Engine.ResponseMode.NumberDistribution"/>).</summary>
    public NumericSearchOptions? Search { get; init; }

    /// <summary>The central interval's level (Low, High) when the model carries no calibration for the task.</summary>
    public double IntervalLevel { get; init; } = 0.9;

    /// <summary>
    /// Use the calibration stored in the model file (conformal intervals, class temperatures). Off
    /// only to fit a calibration from raw answers.
    /// </summary>
    public bool ApplyCalibration { get; init; } = true;

    /// <summary>Most tokens of a free-text answer (tasks whose number follows a label).</summary>
    public int MaxFreeTextTokens { get; init; } = 96;

    /// <summary>Extra sampled answers for a regression spread (0: greedy only).</summary>
    public int UncertaintySamples { get; init; }

    public int UncertaintySeed { get; init; }

    /// <summary>Most views a candidate may be asked in (each is a full request to the engine).</summary>
    public const int MaxViews = 16;

    /// <summary>
    /// How many ways a candidate is asked (test-time augmentation): view 0 is the prompt of 1 view,
    /// the others rotate the task's paraphrased instructions and respell a composition's formula
    /// (<see cref="PredictionRequestBuilder.View"/>); their answers are pooled (<see cref="ViewPooling"/>).
    /// </summary>
    public int Views { get; init; } = 1;

    public PredictionOptions Validated()
    {
        if (InstructionIndex < 0) throw new ArgumentException($"Instruction index must not be negative (got {InstructionIndex}).");
        if (MaxNumericTokens < 1) throw new ArgumentException($"Max numeric tokens must be positive (got {MaxNumericTokens}).");
        if (MaxFreeTextTokens < 1) throw new ArgumentException($"Max free-text tokens must be positive (got {MaxFreeTextTokens}).");
        if (!Enum.IsDefined(Estimate)) throw new ArgumentException($"Unknown estimate {(int)Estimate}; expected {NumericEstimates.Names}.");
        if (!(IntervalLevel is > 0 and < 1)) throw new ArgumentException($"The interval level must be in (0, 1) (got {IntervalLevel}).");
        Search?.Validated();
        Sampling.Validated();
        if (Views is < 1 or > MaxViews) throw new ArgumentException($"Views must be between 1 and {MaxViews} (got {Views}).");
        if (UncertaintySamples < 0) throw new ArgumentException($"Uncertainty samples must not be negative (got {UncertaintySamples}).");
        return this;
    }
}
