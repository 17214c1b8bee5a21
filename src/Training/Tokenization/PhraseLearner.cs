namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Byte-pair-encoding style learning one level up: the symbols are whole words and punctuation
/// runs, and each step merges the most frequent adjacent pair into a phrase (ties broken by the
/// ordinal order of the merged text, then of its left part). Pair counts are updated
/// incrementally, so the cost per merge is proportional to the segments that contain the pair.
/// </summary>
internal sealed class PhraseLearner
{
    private readonly List<string> _names;
    private readonly Dictionary<string, int> _ids;
    private readonly List<List<int>> _segments = [];
    private readonly List<long> _weights = [];
    private readonly Dictionary<long, long> _pairCounts = [];
    private readonly Dictionary<long, List<int>> _pairSegments = [];

    /// <param name="symbolNames">The text of each symbol id the segments use.</param>
    /// <param name="segments">Runs of adjacent symbols with how often each run occurs.</param>
    public PhraseLearner(IReadOnlyList<string> symbolNames, IEnumerable<KeyValuePair<int[], long>> segments)
    {
        _names = [.. symbolNames];
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Count; i++) _ids.TryAdd(_names[i], i);
        foreach (var (symbols, weight) in segments)
        {
            if (symbols.Length < 2) continue;
            var index = _segments.Count;
            _segments.Add([.. symbols]);
            _weights.Add(weight);
            AddPairs(index);
        }
    }

    /// <summary>The texts of the learnt phrases, in merge order (earliest = most frequent).</summary>
    public IReadOnlyList<string> Learn(int maxPhrases, long minCount)
    {
        var phrases = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (phrases.Count < maxPhrases && TryBestPair(minCount, out var pair))
        {
            var (left, right) = Unpack(pair);
            var text = _names[left] + _names[right];
            if (!_ids.TryGetValue(text, out var merged))
            {
                merged = _names.Count;
                _names.Add(text);
                _ids.Add(text, merged);
            }
            if (seen.Add(text)) phrases.Add(text);
            foreach (var index in _pairSegments[pair].Distinct().ToArray())
                MergeIn(index, left, right, merged);
            _pairCounts.Remove(pair);
            _pairSegments.Remove(pair);
        }
        return phrases;
    }

    private bool TryBestPair(long minCount, out long best)
    {
        best = 0;
        long bestCount = 0;
        foreach (var (pair, count) in _pairCounts)
        {
            if (count < minCount || count < bestCount) continue;
            if (count == bestCount && ComparePairs(pair, best) >= 0) continue;
            best = pair;
            bestCount = count;
        }
        return bestCount > 0;
    }

    /// <summary>Ordinal order of the merged texts, then of the left parts; without building the texts.</summary>
    private int ComparePairs(long x, long y)
    {
        var (xLeft, xRight) = Unpack(x);
        var (yLeft, yRight) = Unpack(y);
        string a1 = _names[xLeft], a2 = _names[xRight], b1 = _names[yLeft], b2 = _names[yRight];
        var length = Math.Min(a1.Length + a2.Length, b1.Length + b2.Length);
        for (var i = 0; i < length; i++)
        {
            var a = i < a1.Length ? a1[i] : a2[i - a1.Length];
            var b = i < b1.Length ? b1[i] : b2[i - b1.Length];
            if (a != b) return a.CompareTo(b);
        }
        var byLength = (a1.Length + a2.Length).CompareTo(b1.Length + b2.Length);
        return byLength != 0 ? byLength : string.CompareOrdinal(a1, b1);
    }

    private void MergeIn(int index, int left, int right, int merged)
    {
        var symbols = _segments[index];
        if (!Contains(symbols, left, right)) return;
        RemovePairs(index);
        var result = new List<int>(symbols.Count);
        for (var i = 0; i < symbols.Count; i++)
        {
            if (i + 1 < symbols.Count && symbols[i] == left && symbols[i + 1] == right)
            {
                result.Add(merged);
                i++;
            }
            else result.Add(symbols[i]);
        }
        _segments[index] = result;
        AddPairs(index);
    }

    private static bool Contains(List<int> symbols, int left, int right)
    {
        for (var i = 0; i + 1 < symbols.Count; i++)
            if (symbols[i] == left && symbols[i + 1] == right) return true;
        return false;
    }

    private void AddPairs(int index)
    {
        var symbols = _segments[index];
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            var pair = Pack(symbols[i], symbols[i + 1]);
            _pairCounts[pair] = _pairCounts.GetValueOrDefault(pair) + _weights[index];
            if (!_pairSegments.TryGetValue(pair, out var where)) _pairSegments[pair] = where = [];
            if (where.Count == 0 || where[^1] != index) where.Add(index);
        }
    }

    private void RemovePairs(int index)
    {
        var symbols = _segments[index];
        for (var i = 0; i + 1 < symbols.Count; i++)
        {
            var pair = Pack(symbols[i], symbols[i + 1]);
            var left = _pairCounts[pair] - _weights[index];
            if (left == 0) _pairCounts.Remove(pair);
            else _pairCounts[pair] = left;
        }
    }

    private static long Pack(int left, int right) => ((long)left << 32) | (uint)right;

    private static (int Left, int Right) Unpack(long pair) => ((int)(pair >> 32), (int)(uint)pair);
}
