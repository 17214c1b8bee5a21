using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// A decoder that follows several continuations of one prompt at once, each on its own KV sequence
/// (a "beam"), to give the model's distribution over the whole numeric answer. The driver hands it
/// every beam's logits (<see cref="Observe"/>), then <see cref="Advance"/> names the next beams, each
/// a parent and the token it appends; the driver copies the parent's KV cells for a second child of
/// one parent, so beams share the prompt's cells and every common prefix.
/// </summary>
public abstract class NumberDistributionDecoder : ResponseDecoder
{
    /// <summary>Most KV sequences the decoder uses at once (the driver reserves them on admission).</summary>
    public abstract int MaxBeams { get; }

    /// <summary>The distribution over the finished values (null when none finished).</summary>
    public abstract NumericDistribution? Distribution { get; }

    /// <summary>Takes beam <paramref name="beam"/>'s logits after its last token.</summary>
    public abstract void Observe(int beam, ReadOnlySpan<float> logits);

    /// <summary>The next beams, at most <see cref="MaxBeams"/>; empty when the decoder is done.</summary>
    public abstract IReadOnlyList<NextBeam> Advance();
}

/// <summary>
/// One beam of the next step: the token <paramref name="Token"/> appended to beam
/// <paramref name="Parent"/> of the step before; or, with a <paramref name="Restart"/> path (and
/// Parent -1), a beam that did not fit before and starts again from the prompt's cells with every
/// token of its path (the last one is <paramref name="Token"/>).
/// </summary>
public readonly record struct NextBeam(int Parent, int Token, int[]? Restart = null);
