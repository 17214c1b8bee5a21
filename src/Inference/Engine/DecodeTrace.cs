namespace DarwinGrid.Inference.Engine;

/// <summary>
/// A record of everything the driver asked llama.cpp to do, in order: decodes (with each token's id,
/// position, sequence and logits flag) and KV-cache sequence operations. Replaying it with bare
/// native calls gives the engine's work without the engine (the benchmark's ceiling).
/// Only the driver thread writes to it; read it after the engine is idle.
/// </summary>
public sealed class DecodeTrace
{
    private readonly List<TraceEvent> _events = [];
    private List<TraceToken>? _open;

    public IReadOnlyList<TraceEvent> Events => _events;

    public long TokenCount => _events.OfType<TraceEvent.Decode>().Sum(d => (long)d.Tokens.Count);

    public void Clear()
    {
        _events.Clear();
        _open = null;
    }

    internal void Token(int token, int position, int sequence, bool logits) =>
        (_open ??= []).Add(new TraceToken(token, position, sequence, logits));

    internal void Decoded()
    {
        _events.Add(new TraceEvent.Decode(_open ?? []));
        _open = null;
    }

    internal void Copy(int source, int destination) => _events.Add(new TraceEvent.Copy(source, destination));

    internal void Remove(int sequence, int from) => _events.Add(new TraceEvent.Remove(sequence, from));
}

public readonly record struct TraceToken(int Token, int Position, int Sequence, bool Logits);

public abstract record TraceEvent
{
    private TraceEvent() { }

    public sealed record Decode(IReadOnlyList<TraceToken> Tokens) : TraceEvent;

    /// <summary>Whole-sequence KV copy.</summary>
    public sealed record Copy(int Source, int Destination) : TraceEvent;

    /// <summary>Removes a sequence's cells from position <c>From</c> on (-1: all).</summary>
    public sealed record Remove(int Sequence, int From) : TraceEvent;
}
