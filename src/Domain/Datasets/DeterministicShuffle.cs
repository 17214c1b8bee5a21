namespace DarwinGrid.Domain.Datasets;

/// <summary>
/// A seeded Fisher-Yates shuffle on SplitMix64, specified here so fold membership is identical on
/// every platform and .NET version (System.Random's seeded sequence is not a documented contract).
/// </summary>
public sealed class DeterministicShuffle
{
    /// <summary>The seed Matbench uses for its 5-fold splits (its folds come from numpy; ours do not reproduce them).</summary>
    public const int MatbenchSeed = 18012019;

    private ulong _state;

    public DeterministicShuffle(long seed) => _state = unchecked((ulong)seed);

    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = (int)NextBelow((ulong)i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private ulong Next()
    {
        unchecked
        {
            var z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
    private ulong NextBelow(ulong bound)
    {
        var threshold = unchecked(0UL - bound) % bound;
        while (true)
        {
            var high = Math.BigMul(Next(), bound, out var low);
            if (low >= threshold)
                return high;
        }
    }
}
