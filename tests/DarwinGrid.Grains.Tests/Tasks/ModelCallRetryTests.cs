using System.Collections.Immutable;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Tasks;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Grains.Tests.Tasks;

public sealed class ModelCallRetryTests
{
    private static readonly TaskAssignment Assignment = new("c1", "bandgap", "v1", 2);

    /// <summary>Endpoints that answer by a script: the keys to pick, in order, and what each key does.</summary>
    private sealed class ScriptedEndpoints(Queue<string?> picks, Func<string, PredictionBatch, ImmutableArray<Prediction>> answer) : IModelEndpoints
    {
        public List<string> Invalidated { get; } = [];
        public Dictionary<string, int> Outstanding { get; } = [];
        public string? LoadFailure { get; init; }
        public int Calls { get; private set; }

        public Task<string?> PickAsync(int inputs)
        {
            var key = picks.Count > 1 ? picks.Dequeue() : picks.Peek();
            if (key is not null)
                Outstanding[key] = Outstanding.GetValueOrDefault(key) + inputs;
            return Task.FromResult(key);
        }

        public void Returned(string key, int inputs) => Outstanding[key] -= inputs;

        public void Invalidate(string key) => Invalidated.Add(key);

        public Task<ImmutableArray<Prediction>> PredictAsync(string key, PredictionBatch batch, CancellationToken cancellationToken)
        {
            Calls++;
            return Task.FromResult(answer(key, batch));
        }

        public Task<string?> LoadFailureAsync(string key) => Task.FromResult(LoadFailure);
    }

    private static RetryPolicy Policy(TimeSpan window) => new(window, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(10));

    private static ImmutableArray<Prediction> Answers(PredictionBatch batch) =>
        [.. batch.Inputs.Select((input, i) => new Prediction(batch.Task, "v1", 1.0 + i, null, null, $" {1.0 + i}"))];

    [Fact]
    public async Task AFailedCallIsRetriedOnAnotherEndpoint()
    {
        var endpoints = new ScriptedEndpoints(new(["a", "b"]), (key, batch) => key == "a" ? throw new TimeoutException("silo a is gone") : Answers(batch));
        var retry = new ModelCallRetry(endpoints, Policy(TimeSpan.FromSeconds(30)), NullLogger.Instance, "c1|bandgap");

        var answer = await retry.PredictAsync(Assignment, ["NaCl", "KBr"], CancellationToken.None);

        Assert.True(answer.FromModel);
        Assert.Equal(1.0, answer.Predictions["NaCl"].Value);
        Assert.Equal(2.0, answer.Predictions["KBr"].Value);
        Assert.Equal(["a"], endpoints.Invalidated);
        Assert.All(endpoints.Outstanding.Values, n => Assert.Equal(0, n)); // every call's inputs were handed back
    }

    [Fact]
    public async Task AnEndpointThatCannotLoadItsModelFailsTheCallAtOnce()
    {
        var endpoints = new ScriptedEndpoints(new(["a"]), (_, _) => throw new InvalidOperationException("load failed"))
        {
            LoadFailure = "unknown architecture 'gpt2'",
        };
        var retry = new ModelCallRetry(endpoints, Policy(TimeSpan.FromMinutes(5)), NullLogger.Instance, "c1|bandgap");

        var error = await Assert.ThrowsAsync<ModelUnloadableException>(() => retry.PredictAsync(Assignment, ["NaCl"], CancellationToken.None));

        Assert.Equal("Model version 'v1' cannot be loaded: unknown architecture 'gpt2'", error.Message);
        Assert.Equal(1, endpoints.Calls);
    }

    [Fact]
    public async Task AfterTheWindowEveryPredictionIsRecordedAsFailedAndNotAsTheModelsAnswer()
    {
        var endpoints = new ScriptedEndpoints(new([null]), (_, _) => throw new InvalidOperationException("never called"));
        var retry = new ModelCallRetry(endpoints, Policy(TimeSpan.FromMilliseconds(200)), NullLogger.Instance, "c1|bandgap");

        var answer = await retry.PredictAsync(Assignment, ["NaCl", "KBr"], CancellationToken.None);

        Assert.False(answer.FromModel);
        Assert.Equal(["KBr", "NaCl"], answer.Predictions.Keys.Order());
        Assert.All(answer.Predictions.Values, p =>
        {
            Assert.Null(p.Value);
            Assert.Contains("No live silo serves model version 'v1'", p.Error);
        });
        Assert.Equal(0, endpoints.Calls);
    }

    [Fact]
    public void TheBackoffGrowsWithEachAttemptUpToItsCap()
    {
        var policy = new RetryPolicy(TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(2));
        Assert.Equal([250, 500, 750, 2000, 2000], new[] { 1, 2, 3, 8, 100 }.Select(a => policy.Backoff(a).TotalMilliseconds));
    }
}
