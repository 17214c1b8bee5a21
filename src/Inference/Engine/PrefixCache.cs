namespace DarwinGrid.Inference.Engine;

/// <summary>
/// Evaluated shared prefixes, one reserved sequence each. An entry in use by running candidates
/// is never evicted, so its KV cells stay accounted for; idle entries are evicted least recently
/// used first.
/// </summary>
internal sealed class PrefixCache(int firstSequence, int capacity)
{
    internal sealed class Entry(string text, int[] tokens, int sequence)
    {
        public string Text { get; } = text;
        public int[] Tokens { get; } = tokens;
        public int Sequence { get; } = sequence;
        public int Users { get; set; }
        public long LastUse { get; set; }
    }

    private readonly Dictionary<string, Entry> _byText = new(StringComparer.Ordinal);
    private long _clock;

    public int CellsHeld => _byText.Values.Sum(e => e.Tokens.Length);

    public Entry? Find(string text)
    {
        if (!_byText.TryGetValue(text, out var entry)) return null;
        entry.LastUse = ++_clock;
        return entry;
    }

    /// <summary>A free prefix sequence, evicting the least recently used idle entry if needed; null if all are busy.</summary>
    public int? FreeSequence(Action<int> clearSequence)
    {
        var used = _byText.Values.Select(e => e.Sequence).ToHashSet();
        for (var s = firstSequence; s < firstSequence + capacity; s++)
            if (!used.Contains(s)) return s;
        var victim = LeastRecentlyUsedIdle();
        if (victim is null) return null;
        Evict(victim, clearSequence);
        return victim.Sequence;
    }

    /// <summary>Evicts one idle entry (never <paramref name="keep"/>); false if there is none.</summary>
    public bool EvictOneIdle(Action<int> clearSequence, Entry? keep = null)
    {
        var victim = LeastRecentlyUsedIdle(keep);
        if (victim is null) return false;
        Evict(victim, clearSequence);
        return true;
    }

    public Entry Add(string text, int[] tokens, int sequence)
    {
        var entry = new Entry(text, tokens, sequence) { LastUse = ++_clock };
        _byText[text] = entry;
        return entry;
    }

    public void Clear() => _byText.Clear();

    private Entry? LeastRecentlyUsedIdle(Entry? keep = null) =>
        _byText.Values.Where(e => e.Users == 0 && e != keep).MinBy(e => e.LastUse);

    private void Evict(Entry entry, Action<int> clearSequence)
    {
        _byText.Remove(entry.Text);
        clearSequence(entry.Sequence);
    }
}
