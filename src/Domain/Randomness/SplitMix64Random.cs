using System.Text;

namespace DarwinGrid.Domain.Randomness;

/// <summary>
/// A seeded random source on SplitMix64, specified here so that a seed gives the same training data
/// on every platform and .NET version (System.Random's seeded sequence is not a documented contract).
/// Independent streams are derived from the seed and a name, so adding a task or an epoch never
/// shifts the random choices of another.
/// </summary>
public sealed class SplitMix64Random
{
    private ulong _state;

    public SplitMix64Random(ulong seed) => _state = seed;

    /// <summary>The stream named by <paramref name="parts"/> (e.g. task name, "epoch", 3) under <paramref name="seed"/>.</summary>
    public static SplitMix64Random Stream(long seed, params object[] parts)
    {
        // FNV-1a over the parts, then mixed with the seed: stable, unlike string.GetHashCode.
        var hash = 14695981039346656037UL;
        foreach (var part in parts)
        {
            foreach (var b in Encoding.UTF8.GetBytes(Convert.ToString(part, System.Globalization.CultureInfo.InvariantCulture) + "\u001f"))
                hash = unchecked((hash ^ b) * 1099511628211UL);
        }
        return new SplitMix64Random(Finalize(unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ hash));
    }

    public ulong NextUInt64()
    {
        unchecked
        {
            _state += 0x9E3779B97F4A7C15UL;
            return Finalize(_state);
        }
    }

    /// <summary>Uniform in [0, bound) without modulo bias (Lemire's multiply-and-reject).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0)
            throw new ArgumentOutOfRangeException(nameof(bound), bound, "The bound must be positive.");
        var b = (ulong)bound;
        var threshold = unchecked(0UL - b) % b;
        while (true)
        {
            var high = Math.BigMul(NextUInt64(), b, out var low);
            if (low >= threshold)
                return (int)high;
        }
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public T Pick<T>(IReadOnlyList<T> items) =>
        items.Count > 0 ? items[NextInt(items.Count)] : throw new ArgumentException("Cannot pick from an empty list.", nameof(items));

    /// <summary>Fisher-Yates.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Finalize(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
