using System.Diagnostics;
using DarwinGrid.Grains.Models;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Tasks;

/// <summary>When to give up on a model call and how long to wait between attempts.</summary>
/// <param name="Window">How long a call keeps retrying before its predictions are recorded as failed.</param>
/// <param name="Delay">The first pause between attempts; it grows by itself per attempt up to <paramref name="MaxDelay"/>.</param>
/// <param name="CallTimeout">Longest one call may take before it is abandoned and tried elsewhere.</param>
public sealed record RetryPolicy(TimeSpan Window, TimeSpan Delay, TimeSpan MaxDelay, TimeSpan CallTimeout)
{
    public TimeSpan Backoff(int attempt) => TimeSpan.FromTicks(Math.Min(Delay.Ticks * attempt, MaxDelay.Ticks));
}

/// <summary>The predictions for a batch's compositions and whether the model gave them (only those are cached).</summary>
public sealed record ModelAnswer(IReadOnlyDictionary<string, Prediction> Predictions, bool FromModel);

/// <summary>
/// A task's model calls: each to the least-loaded endpoint, retried on others after a failure (backing
/// off) until the policy's window closes; then every prediction is recorded as failed, so the campaign
/// still finishes. An endpoint that cannot load the model ends the task at once (<see cref="ModelUnloadableException"/>).
/// </summary>
public sealed class ModelCallRetry(IModelEndpoints endpoints, RetryPolicy policy, ILogger logger, string taskKey)
{
    public async Task<ModelAnswer> PredictAsync(TaskAssignment assignment, IReadOnlyList<string> compositions, CancellationToken cancellationToken)
    {
        Exception? last = null;
        var started = Stopwatch.StartNew();
        var attempt = 0;
        while (attempt == 0 || started.Elapsed < policy.Window)
        {
            attempt++;
            cancellationToken.ThrowIfCancellationRequested();
            var key = await endpoints.PickAsync(compositions.Count);
            if (key is null)
            {
                last = new InvalidOperationException($"No live silo serves model version '{assignment.ModelVersion}'.");
                await Task.Delay(policy.Backoff(attempt), cancellationToken);
                continue;
            }
            try
            {
                return new ModelAnswer(await CallAsync(key, assignment, compositions, cancellationToken), FromModel: true);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                last = e;
                if (await endpoints.LoadFailureAsync(key) is { } reason)
                    throw new ModelUnloadableException($"Model version '{assignment.ModelVersion}' cannot be loaded: {reason}");
                endpoints.Invalidate(key);
                logger.LogWarning("Task {Key}: model call to {Model} failed (attempt {Attempt}): {Error}", taskKey, key, attempt, e.Message);
                await Task.Delay(policy.Backoff(attempt), cancellationToken);
            }
        }
        var error = $"Model version '{assignment.ModelVersion}' unavailable after {attempt} attempts in {started.Elapsed.TotalSeconds:F0} s: {last?.Message}";
        var failed = compositions.ToDictionary(c => c, _ => new Prediction(assignment.Task, assignment.ModelVersion, null, null, null, "", error), StringComparer.Ordinal);
        return new ModelAnswer(failed, FromModel: false);
    }

    private async Task<Dictionary<string, Prediction>> CallAsync(string key, TaskAssignment assignment, IReadOnlyList<string> compositions, CancellationToken cancellationToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(policy.CallTimeout);
            var predictions = await endpoints.PredictAsync(key, new PredictionBatch(assignment.Task, [.. compositions], assignment.Estimate), timeout.Token);
            if (predictions.Length != compositions.Count)
                throw new InvalidOperationException($"Model grain {key} returned {predictions.Length} predictions for {compositions.Count} inputs.");
            var byComposition = new Dictionary<string, Prediction>(StringComparer.Ordinal);
            for (var i = 0; i < compositions.Count; i++)
                byComposition[compositions[i]] = predictions[i];
            return byComposition;
        }
        finally
        {
            endpoints.Returned(key, compositions.Count);
        }
    }
}
