namespace DarwinGrid.Inference.Engine;

/// <summary>A job occupying a sequence slot: where it is in its prompt and answer.</summary>
internal sealed class ActiveSequence(SequenceJob job, int sequence, PrefixCache.Entry? prefix, int reservedCells)
{
    public SequenceJob Job { get; } = job;

    public int Sequence { get; } = sequence;

    public PrefixCache.Entry? Prefix { get; } = prefix;

    /// <summary>KV cells counted against the unified cache budget while the sequence runs.</summary>
    public int ReservedCells { get; } = reservedCells;

    /// <summary>Index of the next prompt token to evaluate (starts after the shared part).</summary>
    public int NextPromptToken { get; set; } = job.Prompt.SharedLength;

    public bool IsPrefilling => NextPromptToken < Job.Prompt.Tokens.Length;

    /// <summary>The generated token to evaluate next, or -1.</summary>
    public int PendingToken { get; set; } = -1;

    /// <summary>A restarted beam's answer tokens to evaluate next, all at once (then <see cref="PendingToken"/> is -1), or null.</summary>
    public int[]? PendingPath { get; set; }

    /// <summary>Position of the next token in the sequence.</summary>
    public int Position { get; set; } = job.Prompt.SharedLength;

    /// <summary>The distribution search this sequence is a beam of, or null.</summary>
    public BeamGroup? Group { get; init; }

    /// <summary>This sequence's beam number in <see cref="Group"/>.</summary>
    public int Beam { get; set; }

    /// <summary>This step's logits row in the batch, or -1.</summary>
    public int LogitsIndex { get; set; } = -1;
}
