namespace DarwinGrid.Inference.Decoding;

/// <summary>Chooses the next token among allowed candidates from the logits.</summary>
public abstract class TokenPicker
{
    public static TokenPicker Greedy { get; } = new GreedyPicker();

    public static TokenPicker Seeded(int seed, float temperature) => new SampledPicker(new Random(seed), temperature);

    /// <summary>Returns -1 when there is no candidate.</summary>
    public abstract int Pick(ReadOnlySpan<float> logits, ReadOnlySpan<int> candidates);

    /// <summary>Over the whole vocabulary.</summary>
    public abstract int PickAny(ReadOnlySpan<float> logits);

    private sealed class GreedyPicker : TokenPicker
    {
        // Ties go to the lowest token id, so the choice never depends on candidate order.
        public override int Pick(ReadOnlySpan<float> logits, ReadOnlySpan<int> candidates)
        {
            var best = -1;
            var bestLogit = float.NegativeInfinity;
            foreach (var token in candidates)
            {
                var logit = logits[token];
                if (best < 0 || logit > bestLogit || (logit == bestLogit && token < best))
                {
                    best = token;
                    bestLogit = logit;
                }
            }
            return best;
        }

        public override int PickAny(ReadOnlySpan<float> logits)
        {
            var best = 0;
            for (var i = 1; i < logits.Length; i++)
                if (logits[i] > logits[best]) best = i;
            return best;
        }
    }

    private sealed class SampledPicker(Random random, float temperature) : TokenPicker
    {
        private readonly float _temperature = temperature > 0 ? temperature
            : throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The sampling temperature must be positive.");

        public override int Pick(ReadOnlySpan<float> logits, ReadOnlySpan<int> candidates)
        {
            if (candidates.IsEmpty) return -1;
            var max = float.NegativeInfinity;
            foreach (var t in candidates) max = Math.Max(max, logits[t]);
            var weights = new double[candidates.Length];
            var total = 0.0;
            for (var i = 0; i < candidates.Length; i++)
                total += weights[i] = Math.Exp((logits[candidates[i]] - max) / _temperature);
            var u = random.NextDouble() * total;
            for (var i = 0; i < candidates.Length; i++)
            {
                u -= weights[i];
                if (u <= 0) return candidates[i];
            }
            return candidates[^1];
        }

        public override int PickAny(ReadOnlySpan<float> logits)
        {
            var all = new int[logits.Length];
            for (var i = 0; i < all.Length; i++) all[i] = i;
            return Pick(logits, all);
        }
    }
}
