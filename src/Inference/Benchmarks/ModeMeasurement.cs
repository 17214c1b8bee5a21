namespace DarwinGrid.Inference.Benchmarks;

/// <summary>One timed run of one mode: candidates answered and tokens decoded in that time.</summary>
public sealed record ModeMeasurement(string Mode, int Candidates, long TokensDecoded, TimeSpan Elapsed, double PromptTokensPerCandidate, double GeneratedTokensPerCandidate)
{
    public double CandidatesPerSecond => Candidates / Elapsed.TotalSeconds;

    public double TokensPerSecond => TokensDecoded / Elapsed.TotalSeconds;

    /// <summary>The run with the median candidates/s (runs on a shared machine are noisy).</summary>
    public static ModeMeasurement Median(IReadOnlyList<ModeMeasurement> runs) =>
        runs.OrderBy(r => r.CandidatesPerSecond).ElementAt(runs.Count / 2);
}
