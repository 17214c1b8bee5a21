using System.Runtime.CompilerServices;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// Predicts a stream of any length with a bounded number of requests in flight (so the engine's
/// batches stay full without holding every row in memory) and yields results in input order.
/// </summary>
public static class OrderedPredictionStream
{
    public static async IAsyncEnumerable<(T Item, PropertyPrediction Prediction)> PredictAsync<T>(
        this PropertyPredictor predictor, PropertyTask task, IEnumerable<T> items, Func<T, string> inputOf, int window,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var inFlight = new Queue<(T Item, Task<PropertyPrediction> Prediction)>(window);
        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inFlight.Enqueue((item, predictor.PredictAsync(task, inputOf(item), cancellationToken).AsTask()));
            if (inFlight.Count >= window)
            {
                var (done, prediction) = inFlight.Dequeue();
                yield return (done, await prediction.ConfigureAwait(false));
            }
        }
        while (inFlight.Count > 0)
        {
            var (done, prediction) = inFlight.Dequeue();
            yield return (done, await prediction.ConfigureAwait(false));
        }
    }
}
