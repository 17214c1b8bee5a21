namespace DarwinGrid.Inference.Prediction;

/// <summary>How a <see cref="PropertyPredictor"/> asks its model.</summary>
public sealed record PredictionOptions
{
    /// <summary>The prompt format the model was trained with ("darwin" for DARWIN 1.5 and darwin-mini).</summary>
    public string PromptFormat { get; init; } = "darwin";

    /// <summary>Which of the task's paraphrased instructions to ask with.</summary>
    public int InstructionIndex { get; init; }

    /// <summary>Most tokens a numeric answer may take (digits are single tokens).</summary>
    public int MaxNumericTokens { get; init; } = 16;

    /// <summary>Most tokens of a free-text answer (tasks whose number follows a label).</summary>
    public int MaxFreeTextTokens { get; init; } = 96;

    /// <summary>Extra sampled answers for a regression spread (0: greedy only).</summary>
    public int UncertaintySamples { get; init; }

    public int UncertaintySeed { get; init; }

    public PredictionOptions Validated()
    {
        if (InstructionIndex < 0) throw new ArgumentException($"Instruction index must not be negative (got {InstructionIndex}).");
        if (MaxNumericTokens < 1) throw new ArgumentException($"Max numeric tokens must be positive (got {MaxNumericTokens}).");
        if (MaxFreeTextTokens < 1) throw new ArgumentException($"Max free-text tokens must be positive (got {MaxFreeTextTokens}).");
        if (UncertaintySamples < 0) throw new ArgumentException($"Uncertainty samples must not be negative (got {UncertaintySamples}).");
        return this;
    }
}
