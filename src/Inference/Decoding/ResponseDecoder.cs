namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// The per-sequence answer state machine. The driver calls <see cref="Step"/> with the logits
/// after the last evaluated token; a non-negative return is the next token to evaluate, -1 means
/// the answer is complete.
/// </summary>
public abstract class ResponseDecoder
{
    public const int Done = -1;

    public abstract int Step(ReadOnlySpan<float> logits);

    /// <summary>The answer so far (the whole answer once <see cref="Step"/> returned <see cref="Done"/>).</summary>
    public abstract string Text { get; }

    public int GeneratedTokens { get; protected set; }

    /// <summary>Label probabilities for one-pass classification; null for generating decoders.</summary>
    public virtual IReadOnlyList<double>? Probabilities => null;

    /// <summary>Why the answer has no usable value (e.g. the token cap cut a number short); null when it is fine.</summary>
    public virtual string? Error => null;
}
