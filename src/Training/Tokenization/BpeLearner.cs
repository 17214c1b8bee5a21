namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Classic BPE learning over counted words: repeatedly merge the most frequent adjacent pair of
/// symbols (ties: the pair of earlier symbols) into a new symbol, updating only the words that hold
/// it. Returns the merged symbols in the order they were learnt.
/// </summary>
internal sealed class BpeLearner
{
    private readonly List<string> _symbols = [];
    private readonly Dictionary<string, int> _symbolIds = new(StringComparer.Ordinal);
    private readonly List<int>[] _words;
    private readonly long[] _counts;
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, HashSet<int>> _pairWords = [];
    private readonly PriorityQueue<long, (long NegativeCount, long Pair)> _queue = new();

    public BpeLearner(IReadOnlyDictionary<string, long> words)
    {
        var ordered = words.OrderBy(w => w.Key, StringComparer.Ordinal).ToArray();
        _words = new List<int>[ordered.Length];
        _counts = new long[ordered.Length];
        for (var w = 0; w < ordered.Length; w++)
        {
            var word = ordered[w].Key;
            var symbols = new List<int>(word.Length);
            for (var i = 0; i < word.Length; i += char.IsSurrogatePair(word, i) ? 2 : 1)
                symbols.Add(Symbol(char.ConvertFromUtf32(char.ConvertToUtf32(word, i))));
            _words[w] = symbols;
            _counts[w] = ordered[w].Value;
            AddPairs(w, +1);
        }
        foreach (var (pair, count) in _pairCounts) _queue.Enqueue(pair, (-count, pair));
    }

    public IReadOnlyList<string> Learn(int maxMerges)
    {
        var learnt = new List<string>(maxMerges);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (learnt.Count < maxMerges && _queue.TryDequeue(out var pair, out var priority))
        {
            if (_pairCounts.GetValueOrDefault(pair) != -priority.NegativeCount) continue; // stale entry
            if (-priority.NegativeCount < 2) break;
            var (left, right) = ((int)(pair >> 32), (int)pair);
            var mergedText = _symbols[left] + _symbols[right];
            var merged = Symbol(mergedText);
            if (seen.Add(mergedText)) learnt.Add(mergedText);
            var changed = new HashSet<long>();
            foreach (var w in _pairWords[pair].ToArray())
            {
                AddPairs(w, -1, changed);
                Merge(_words[w], left, right, merged);
                AddPairs(w, +1, changed);
            }
            foreach (var p in changed)
                if (_pairCounts.GetValueOrDefault(p) is var c && c > 0) _queue.Enqueue(p, (-c, p));
        }
        return learnt;
    }

    private int Symbol(string text)
    {
        if (_symbolIds.TryGetValue(text, out var id)) return id;
        _symbols.Add(text);
        return _symbolIds[text] = _symbols.Count - 1;
    }

    private static void Merge(List<int> symbols, int left, int right, int merged)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] != left || symbols[i + 1] != right) continue;
            symbols[i] = merged;
            symbols.RemoveAt(i + 1);
        }
    }

    private void AddPairs(int w, int sign, HashSet<long>? changed = null)
    {
        var symbols = _words[w];
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            var pair = ((long)symbols[i] << 32) | (uint)symbols[i + 1];
            _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + sign * _counts[w];
            if (sign > 0)
            {
                if (!_pairWords.TryGetValue(pair, out var set)) _pairWords[pair] = set = [];
                set.Add(w);
            }
            changed?.Add(pair);
        }
    }
}
