using DarwinGrid.Grains.Models;

namespace DarwinGrid.Grains.Models;

/// <summary>
/// Answers one task for many inputs on one loaded model: what a model grain hosts. One prediction
/// per input, in order; an answer the task's format cannot read is a prediction with an error, not
/// an exception. Exceptions mean the model itself failed (and the caller may retry elsewhere).
/// <paramref name="estimate"/> picks the number a regression answer reports (classification ignores it).
/// </summary>
public interface IPropertyPredictor : IAsyncDisposable
{
    Task<IReadOnlyList<Prediction>> PredictAsync(string task, IReadOnlyList<string> inputs, PredictionEstimate estimate, CancellationToken cancellationToken);

    /// <summary>Tokens evaluated and generated so far (for tokens/s); 0 when the predictor does not know.</summary>
    long TokensProcessed { get; }
}

/// <summary>Loads a model version for one device of this silo. Registered in the silo's services; tests wrap it to count calls.</summary>
public interface IPropertyPredictorFactory
{
    Task<IPropertyPredictor> CreateAsync(ModelVersionInfo version, string device, CancellationToken cancellationToken);
}
