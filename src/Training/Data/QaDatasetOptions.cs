using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Prompts;

namespace DarwinGrid.Training.Data;

/// <summary>How the stage-1 QA data is built.</summary>
public sealed record QaDatasetOptions
{
    /// <summary>The SciQAG file, relative to the data folder.</summary>
    public string File { get; init; } = SciQagLoader.TestSplit;

    public IPromptFormat Format { get; init; } = DarwinAlpacaPromptFormat.Instance;

    public long Seed { get; init; } = 1;

    /// <summary>Share of the pairs held out (seeded) for validation loss.</summary>
    public double ValidationFraction { get; init; } = 0.02;

    public QaDatasetOptions Validated()
    {
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "The validation fraction must be in [0, 1).");
        return this;
    }
}
