namespace DarwinGrid.Inference.Engine;

/// <summary>
/// A snapshot of an engine's counters. Prompt tokens are counted per candidate sequence: the whole
/// prompt (what evaluation without sharing would cost) and the part actually evaluated; shared
/// prefixes are counted once each in <see cref="PrefixTokensEvaluated"/>. <see cref="WritersDelayed"/>
/// counts sequences whose caller had to wait for room in the full queue (backpressure).
/// </summary>
public sealed record EngineStats(
    long RequestsCompleted,
    long RequestsCancelled,
    long RequestsFailed,
    long SequencesCompleted,
    long Decodes,
    long TokensDecoded,
    long PromptTokens,
    long PromptTokensEvaluated,
    long PrefixTokensEvaluated,
    long GeneratedTokens,
    int ActiveSequences,
    int QueuedSequences,
    int MaxQueuedSequences,
    int MaxActiveSequences,
    long WritersDelayed)
{
    public double PromptTokensPerCandidateWithoutSharing => SequencesCompleted == 0 ? 0 : (double)PromptTokens / SequencesCompleted;

    public double PromptTokensPerCandidateWithSharing => SequencesCompleted == 0 ? 0 : (double)PromptTokensEvaluated / SequencesCompleted;

    public double MeanBatchTokens => Decodes == 0 ? 0 : (double)TokensDecoded / Decodes;
}
