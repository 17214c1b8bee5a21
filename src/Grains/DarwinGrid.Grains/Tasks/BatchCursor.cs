namespace DarwinGrid.Grains.Tasks;

/// <summary>
/// Which batches of a task are recorded, which are in flight, and which to send next. Batch b
/// covers candidates [b·size, (b+1)·size). Batches finish out of order, so the cursor is a
/// watermark plus the recorded batches above it.
/// </summary>
public sealed class BatchCursor
{
    private readonly SortedSet<long> _doneAbove;
    private readonly HashSet<long> _inFlight = [];
    private readonly Queue<long> _retry = new();
    private long _scan;

    public BatchCursor(long candidateCount, int batchSize, long watermark, IEnumerable<long> doneAbove)
    {
        if (batchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        CandidateCount = candidateCount;
        BatchSize = batchSize;
        BatchCount = (candidateCount + batchSize - 1) / batchSize;
        Watermark = Math.Clamp(watermark, 0, BatchCount);
        _doneAbove = [.. doneAbove.Where(b => b >= Watermark && b < BatchCount)];
        Advance();
        _scan = Watermark;
    }

    public long CandidateCount { get; }
    public int BatchSize { get; }
    public long BatchCount { get; }
    public long Watermark { get; private set; }
    public IReadOnlyCollection<long> DoneAbove => _doneAbove;
    public int InFlight => _inFlight.Count;
    public bool AllRecorded => Watermark == BatchCount;

    public (long From, int Count) Range(long batch)
    {
        var from = batch * BatchSize;
        return (from, (int)Math.Min(BatchSize, CandidateCount - from));
    }

    /// <summary>The next batch neither recorded nor in flight (retries first), now marked in flight; null when none is left.</summary>
    public long? TakeNext()
    {
        while (_retry.TryDequeue(out var again))
        {
            if (!IsRecorded(again) && _inFlight.Add(again))
                return again;
        }
        _scan = Math.Max(_scan, Watermark);
        while (_scan < BatchCount)
        {
            var batch = _scan++;
            if (!IsRecorded(batch) && _inFlight.Add(batch))
                return batch;
        }
        return null;
    }

    public void Recorded(long batch)
    {
        _inFlight.Remove(batch);
        if (batch >= Watermark)
            _doneAbove.Add(batch);
        Advance();
    }

    /// <summary>The batch failed or was abandoned; it will be taken again.</summary>
    public void Release(long batch, bool retry = true)
    {
        if (_inFlight.Remove(batch) && retry)
            _retry.Enqueue(batch);
    }

    /// <summary>Forgets in-flight batches (after a cancel or pause drained them) so a resume sends them again.</summary>
    public void ReleaseAll()
    {
        foreach (var batch in _inFlight)
            _retry.Enqueue(batch);
        _inFlight.Clear();
    }

    private bool IsRecorded(long batch) => batch < Watermark || _doneAbove.Contains(batch);

    private void Advance()
    {
        while (_doneAbove.Remove(Watermark))
            Watermark++;
    }
}
