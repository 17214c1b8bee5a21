namespace DarwinGrid.Inference.Engine;

/// <summary>Counters written by the driver and callers, read as an <see cref="EngineStats"/> snapshot.</summary>
internal sealed class EngineCounters
{
    private long _requestsCompleted, _requestsCancelled, _requestsFailed, _sequencesCompleted;
    private long _writersDelayed, _decodes, _tokensDecoded, _promptTokens, _promptTokensEvaluated, _prefixTokensEvaluated, _generatedTokens;
    private int _active, _maxActive, _maxQueued;

    public void RequestCompleted() => Interlocked.Increment(ref _requestsCompleted);
    public void RequestCancelled() => Interlocked.Increment(ref _requestsCancelled);
    public void RequestFailed() => Interlocked.Increment(ref _requestsFailed);
    public void WriterDelayed() => Interlocked.Increment(ref _writersDelayed);

    public void SequenceCompleted(int promptTokens, int promptTokensEvaluated, int generated)
    {
        Interlocked.Increment(ref _sequencesCompleted);
        Interlocked.Add(ref _promptTokens, promptTokens);
        Interlocked.Add(ref _promptTokensEvaluated, promptTokensEvaluated);
        Interlocked.Add(ref _generatedTokens, generated);
    }

    public void Decoded(int tokens)
    {
        Interlocked.Increment(ref _decodes);
        Interlocked.Add(ref _tokensDecoded, tokens);
    }

    public void PrefixEvaluated(int tokens) => Interlocked.Add(ref _prefixTokensEvaluated, tokens);

    public void SetActive(int active)
    {
        Volatile.Write(ref _active, active);
        if (active > Volatile.Read(ref _maxActive)) Volatile.Write(ref _maxActive, active);
    }

    public void ObserveQueue(int queued)
    {
        int seen;
        while (queued > (seen = Volatile.Read(ref _maxQueued)))
            if (Interlocked.CompareExchange(ref _maxQueued, queued, seen) == seen) break;
    }

    public EngineStats Snapshot(int queued) => new(
        Interlocked.Read(ref _requestsCompleted), Interlocked.Read(ref _requestsCancelled), Interlocked.Read(ref _requestsFailed),
        Interlocked.Read(ref _sequencesCompleted), Interlocked.Read(ref _decodes), Interlocked.Read(ref _tokensDecoded),
        Interlocked.Read(ref _promptTokens), Interlocked.Read(ref _promptTokensEvaluated), Interlocked.Read(ref _prefixTokensEvaluated),
        Interlocked.Read(ref _generatedTokens), Volatile.Read(ref _active), queued, Volatile.Read(ref _maxQueued), Volatile.Read(ref _maxActive),
        Interlocked.Read(ref _writersDelayed));
}
