using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Screening;

namespace DarwinGrid.Evaluation.Loop;

/// <summary>How the virtual lab plays: what is sought, how many rounds of how many candidates, and the loop's rule.</summary>
public sealed record VirtualLabSettings
{
    public int Rounds { get; init; } = 5;

    public int BatchSize { get; init; } = 20;

    /// <summary>The objective the hits are defined by (and the loop optimises).</summary>
    public ScreeningGoal Goal { get; init; } = ScreeningGoal.Maximize;

    public double? Target { get; init; }

    /// <summary>The share of the pool that counts as a hit (its best by the objective).</summary>
    public double HitShare { get; init; } = 0.05;

    public AcquisitionRule Rule { get; init; } = AcquisitionRule.Ei;

    /// <summary>λ of <see cref="DiverseBatchSelector"/>; 0 turns the diversity penalty off.</summary>
    public double DiversityWeight { get; init; } = 0.3;

    public long Seed { get; init; } = 1;

    public VirtualLabSettings Validated()
    {
        if (Rounds is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(Rounds), Rounds, "Rounds must be 1..100.");
        if (BatchSize is < 1 or > 10_000) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The batch size must be 1..10000.");
        if (!(HitShare is > 0 and <= 0.5)) throw new ArgumentOutOfRangeException(nameof(HitShare), HitShare, "The hit share must be in (0, 0.5].");
        if (Goal == ScreeningGoal.Target && Target is null) throw new ArgumentException("A target objective needs its target value.", nameof(Target));
        if (!(DiversityWeight >= 0) || !double.IsFinite(DiversityWeight)) throw new ArgumentOutOfRangeException(nameof(DiversityWeight), DiversityWeight, "The diversity weight must be >= 0.");
        return this;
    }
}
