using System.Diagnostics;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Benchmarks;

/// <summary>
/// The modes of <c>darwin bench engine</c> on one model and one set of inputs.
/// <paramref name="Requests"/> are the engine requests of real candidates (cycled to
/// <paramref name="Candidates"/>); the naive mode asks the same prompts one at a time with free
/// generation, as DARWIN's reference evaluation does. <paramref name="DistributionRequests"/>, the
/// same candidates asked for their whole distribution, run on the same engine in the same repeats.
/// </summary>
public sealed record EngineBenchmarkSettings(EngineOptions Options, IReadOnlyList<EngineRequest> Requests, int Candidates, int NaiveCandidates, int MaxAnswerTokens, int Repeats,
    IReadOnlyList<EngineRequest>? DistributionRequests = null);

public sealed record EngineBenchmarkResult(ModeMeasurement Naive, ModeMeasurement Engine, ModeMeasurement Ceiling, EngineStats EngineStats, ModeMeasurement? Distribution = null)
{
    public double EngineOverNaive => Engine.CandidatesPerSecond / Naive.CandidatesPerSecond;

    public double EngineOverCeiling => Engine.CandidatesPerSecond / Ceiling.CandidatesPerSecond;

    /// <summary>How many times more a distribution costs than a greedy answer (candidates/s ratio).</summary>
    public double? DistributionCost => Distribution is { } d ? Engine.CandidatesPerSecond / d.CandidatesPerSecond : null;
}

public static class EngineBenchmark
{
    public static async Task<EngineBenchmarkResult> RunAsync(EngineBenchmarkSettings settings, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (settings.Requests.Count == 0) throw new ArgumentException("The benchmark needs at least one request.");
        var requests = Enumerable.Range(0, settings.Candidates).Select(i => settings.Requests[i % settings.Requests.Count]).ToArray();
        var naiveRuns = new List<ModeMeasurement>();
        var engineRuns = new List<ModeMeasurement>();
        var ceilingRuns = new List<ModeMeasurement>();
        var distributionRuns = new List<ModeMeasurement>();
        var distributionRequests = settings.DistributionRequests is { Count: > 0 } d
            ? Enumerable.Range(0, settings.Candidates).Select(i => d[i % d.Count]).ToArray()
            : null;
        EngineStats? lastStats = null;

        using var naive = new NaiveEvaluator(settings.Options);
        using var ceiling = new DecodeCeiling(settings.Options);
        var trace = new DecodeTrace();
        await using var engine = InferenceEngine.Start(settings.Options, trace: trace);
        // Warm-up: evaluates the shared prefix and allocates compute buffers; the ceiling replays
        // it untimed so both start from the same KV state.
        await RunEngine(engine, requests.Take(Math.Min(64, requests.Length)).ToArray(), cancellationToken);
        ceiling.Prepare(trace);

        for (var r = 0; r < settings.Repeats; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            naiveRuns.Add(naive.Run(requests.Take(settings.NaiveCandidates).Select(q => q.Prompt).ToArray(), settings.MaxAnswerTokens));
            progress?.Invoke($"  run {r + 1}: {Describe(naiveRuns[^1])}");

            trace.Clear();
            var n = settings.Candidates;
            var (measured, after) = await Measure(engine, "engine", requests, cancellationToken);
            engineRuns.Add(measured);
            lastStats = after;
            progress?.Invoke($"  run {r + 1}: {Describe(engineRuns[^1])}");

            ceilingRuns.Add(ceiling.Run(trace, n, measured.PromptTokensPerCandidate, measured.GeneratedTokensPerCandidate));
            progress?.Invoke($"  run {r + 1}: {Describe(ceilingRuns[^1])}");

            if (distributionRequests is null) continue;
            distributionRuns.Add((await Measure(engine, "distribution", distributionRequests, cancellationToken)).Measurement);
            progress?.Invoke($"  run {r + 1}: {Describe(distributionRuns[^1])}");
        }
        return new EngineBenchmarkResult(ModeMeasurement.Median(naiveRuns), ModeMeasurement.Median(engineRuns), ModeMeasurement.Median(ceilingRuns), lastStats!,
            distributionRuns.Count > 0 ? ModeMeasurement.Median(distributionRuns) : null);
    }

    private static async Task<(ModeMeasurement Measurement, EngineStats After)> Measure(InferenceEngine engine, string mode, EngineRequest[] requests, CancellationToken cancellationToken)
    {
        var before = engine.Stats;
        var (elapsed, after) = await RunEngine(engine, requests, cancellationToken);
        var n = requests.Length;
        var promptPerCandidate = (double)(after.PromptTokensEvaluated - before.PromptTokensEvaluated) / n;
        var answerPerCandidate = (double)(after.GeneratedTokens - before.GeneratedTokens) / n;
        return (new ModeMeasurement(mode, n, after.TokensDecoded - before.TokensDecoded, elapsed, promptPerCandidate, answerPerCandidate), after);
    }

    public static string Describe(ModeMeasurement m) =>
        $"{m.Mode,-12} {m.CandidatesPerSecond,9:F1} candidates/s {m.TokensPerSecond,10:F0} tokens/s  " +
        $"({m.Candidates} candidates in {m.Elapsed.TotalSeconds:F2} s; {m.PromptTokensPerCandidate:F1} prompt tokens evaluated and {m.GeneratedTokensPerCandidate:F1} answer tokens per candidate)";

    private static async Task<(TimeSpan Elapsed, EngineStats After)> RunEngine(InferenceEngine engine, EngineRequest[] requests, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        // Many concurrent callers, as a screening run would issue them; the bounded queue paces them.
        await Task.WhenAll(requests.Select(q => Task.Run(() => engine.EvaluateAsync(q, cancellationToken).AsTask(), cancellationToken)));
        return (clock.Elapsed, engine.Stats);
    }
}
