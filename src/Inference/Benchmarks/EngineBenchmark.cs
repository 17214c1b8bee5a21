using System.Diagnostics;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Benchmarks;

/// <summary>The three modes of <c>darwin bench engine</c> on one model and one set of inputs.</summary>
public sealed record EngineBenchmarkSettings(EngineOptions Options, IReadOnlyList<string> Inputs, int Candidates, int NaiveCandidates, int MaxAnswerTokens, int Repeats);

public sealed record EngineBenchmarkResult(ModeMeasurement Naive, ModeMeasurement Engine, ModeMeasurement Ceiling, EngineStats EngineStats)
{
    public double EngineOverNaive => Engine.CandidatesPerSecond / Naive.CandidatesPerSecond;

    public double EngineOverCeiling => Engine.CandidatesPerSecond / Ceiling.CandidatesPerSecond;
}

public static class EngineBenchmark
{
    public static async Task<EngineBenchmarkResult> RunAsync(EngineBenchmarkSettings settings, Action<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var prefix = BenchmarkPrompt.SharedPrefix();
        var suffixes = Enumerable.Range(0, settings.Candidates).Select(i => BenchmarkPrompt.Suffix(settings.Inputs[i % settings.Inputs.Count])).ToArray();
        var naiveRuns = new List<ModeMeasurement>();
        var engineRuns = new List<ModeMeasurement>();
        var ceilingRuns = new List<ModeMeasurement>();
        EngineStats? lastStats = null;

        using var naive = new NaiveEvaluator(settings.Options);
        using var ceiling = new DecodeCeiling(settings.Options);
        var trace = new DecodeTrace();
        await using var engine = InferenceEngine.Start(settings.Options, trace: trace);
        // Warm-up: evaluates the shared prefix and allocates compute buffers; the ceiling replays
        // it untimed so both start from the same KV state.
        await RunEngine(engine, prefix, suffixes.Take(Math.Min(64, suffixes.Length)).ToArray(), settings.MaxAnswerTokens, cancellationToken);
        ceiling.Prepare(trace);

        for (var r = 0; r < settings.Repeats; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            naiveRuns.Add(naive.Run(suffixes.Take(settings.NaiveCandidates).Select(s => prefix + s).ToArray(), settings.MaxAnswerTokens));
            progress?.Invoke($"  run {r + 1}: {Describe(naiveRuns[^1])}");

            trace.Clear();
            var before = engine.Stats;
            var (elapsed, after) = await RunEngine(engine, prefix, suffixes, settings.MaxAnswerTokens, cancellationToken);
            var n = settings.Candidates;
            var promptPerCandidate = (double)(after.PromptTokensEvaluated - before.PromptTokensEvaluated) / n;
            var answerPerCandidate = (double)(after.GeneratedTokens - before.GeneratedTokens) / n;
            engineRuns.Add(new ModeMeasurement("engine", n, after.TokensDecoded - before.TokensDecoded, elapsed, promptPerCandidate, answerPerCandidate));
            lastStats = after;
            progress?.Invoke($"  run {r + 1}: {Describe(engineRuns[^1])}");

            ceilingRuns.Add(ceiling.Run(trace, n, promptPerCandidate, answerPerCandidate));
            progress?.Invoke($"  run {r + 1}: {Describe(ceilingRuns[^1])}");
        }
        return new EngineBenchmarkResult(ModeMeasurement.Median(naiveRuns), ModeMeasurement.Median(engineRuns), ModeMeasurement.Median(ceilingRuns), lastStats!);
    }

    public static string Describe(ModeMeasurement m) =>
        $"{m.Mode,-8} {m.CandidatesPerSecond,9:F1} candidates/s {m.TokensPerSecond,10:F0} tokens/s  " +
        $"({m.Candidates} candidates in {m.Elapsed.TotalSeconds:F2} s; {m.PromptTokensPerCandidate:F1} prompt tokens evaluated and {m.GeneratedTokensPerCandidate:F1} answer tokens per candidate)";

    private static async Task<(TimeSpan Elapsed, EngineStats After)> RunEngine(InferenceEngine engine, string prefix, string[] suffixes, int maxTokens, CancellationToken cancellationToken)
    {
        var mode = new ResponseMode.Numeric(maxTokens);
        var clock = Stopwatch.StartNew();
        // Many concurrent callers, as a screening run would issue them; the bounded queue paces them.
        await Task.WhenAll(suffixes.Select(s => Task.Run(() => engine.EvaluateAsync(new EngineRequest(prefix, s, mode), cancellationToken).AsTask(), cancellationToken)));
        return (clock.Elapsed, engine.Stats);
    }
}
