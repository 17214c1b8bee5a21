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
        await using var engine = InferenceEngine.Start(settings.Options);
        // Warm-up: first decodes allocate compute buffers.
        await RunEngine(engine, prefix, suffixes.Take(Math.Min(64, suffixes.Length)).ToArray(), settings.MaxAnswerTokens, cancellationToken);

        for (var r = 0; r < settings.Repeats; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            naiveRuns.Add(naive.Run(suffixes.Take(settings.NaiveCandidates).Select(s => prefix + s).ToArray(), settings.MaxAnswerTokens));
            progress?.Invoke($"  run {r + 1}: {Describe(naiveRuns[^1])}");

            var before = engine.Stats;
            var (elapsed, after) = await RunEngine(engine, prefix, suffixes, settings.MaxAnswerTokens, cancellationToken);
            var n = settings.Candidates;
            var evaluated = after.PromptTokensEvaluated - before.PromptTokensEvaluated;
            var generatedDecoded = after.TokensDecoded - before.TokensDecoded - evaluated - (after.PrefixTokensEvaluated - before.PrefixTokensEvaluated);
            engineRuns.Add(new ModeMeasurement("engine", n, after.TokensDecoded - before.TokensDecoded, elapsed,
                (double)evaluated / n, (double)(after.GeneratedTokens - before.GeneratedTokens) / n));
            lastStats = after;
            progress?.Invoke($"  run {r + 1}: {Describe(engineRuns[^1])}");

            // Same work per candidate as the engine just did, rounded to whole tokens.
            var prefixTokens = engine.Tokenizer.Tokenize(prefix).Length;
            var ownPrompt = (int)Math.Round((double)evaluated / n);
            var steps = (int)Math.Round((double)generatedDecoded / n);
            ceilingRuns.Add(ceiling.Run(n, prefixTokens, ownPrompt, steps));
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
