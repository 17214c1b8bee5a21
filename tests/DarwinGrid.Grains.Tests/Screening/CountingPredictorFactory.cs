using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Tests.Screening;

/// <summary>
/// Wraps the real engine-backed factory: counts every input that reaches a model, and can hold each
/// batch back for <see cref="BatchDelay"/> so a test can act while a campaign is surely mid-way, or
/// fail every batch while <see cref="Failing"/> is set.
/// One instance is shared by all silos of an in-process cluster.
/// </summary>
public sealed class ModelCallCounter
{
    private long _inputs;

    public long Inputs => Interlocked.Read(ref _inputs);

    public TimeSpan BatchDelay { get; set; }

    /// <summary>While set, every batch fails (as an engine that cannot be reached would) instead of being predicted.</summary>
    public bool Failing { get; set; }

    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Every estimate a batch reached a model with, in arrival order.</summary>
    public IReadOnlyList<PredictionEstimate> Estimates { get { lock (_estimates) return [.. _estimates]; } }

    internal void AddEstimate(PredictionEstimate estimate) { lock (_estimates) _estimates.Add(estimate); }

    private readonly List<PredictionEstimate> _estimates = [];

    internal void Add(int inputs) => Interlocked.Add(ref _inputs, inputs);

    internal void AddFailure() => Interlocked.Increment(ref _failures);

    private long _failures;
}

public sealed class CountingPredictorFactory(IPropertyPredictorFactory inner, ModelCallCounter counter) : IPropertyPredictorFactory
{
    public async Task<IPropertyPredictor> CreateAsync(ModelVersionInfo version, string device, CancellationToken cancellationToken) =>
        new Counting(await inner.CreateAsync(version, device, cancellationToken), counter);

    private sealed class Counting(IPropertyPredictor inner, ModelCallCounter counter) : IPropertyPredictor
    {
        public long TokensProcessed => inner.TokensProcessed;

        public async Task<IReadOnlyList<Prediction>> PredictAsync(string task, IReadOnlyList<string> inputs, PredictionEstimate estimate, CancellationToken cancellationToken)
        {
            counter.AddEstimate(estimate);
            if (counter.Failing)
            {
                counter.AddFailure();
                throw new InvalidOperationException("The test made this model fail.");
            }
            counter.Add(inputs.Count);
            if (counter.BatchDelay > TimeSpan.Zero)
                await Task.Delay(counter.BatchDelay, cancellationToken);
            return await inner.PredictAsync(task, inputs, estimate, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
