using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Evaluation.Loop;

/// <summary>
/// The model a virtual lab steers: it predicts a distribution per composition (null where it
/// fails) and may learn from measured values between rounds (a LoRA update for a language model).
/// </summary>
public interface ILabSurrogate
{
    /// <summary>Names the model state the predictions come from (a version that changes with each update).</summary>
    string Version { get; }

    Task<IReadOnlyList<NumericDistribution?>> PredictAsync(IReadOnlyList<string> compositions, CancellationToken cancellationToken);

    /// <summary>Learns from every value measured so far (not only the last round's).</summary>
    Task UpdateAsync(IReadOnlyList<PoolRecord> measured, CancellationToken cancellationToken);
}

/// <summary>A candidate of the virtual lab's pool and the value its "measurement" reveals.</summary>
public sealed record PoolRecord(string Composition, double Value);
