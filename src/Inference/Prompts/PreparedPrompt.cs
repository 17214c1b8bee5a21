namespace DarwinGrid.Inference.Prompts;

/// <summary>
/// A prompt tokenized as a whole (<see cref="Tokens"/>, with BOS), plus the tokens of its shared
/// prefix alone. The first <see cref="SharedLength"/> tokens are identical in both, so their KV
/// cells can be copied from the prefix sequence; it is at most <c>Tokens.Length - 1</c> because the
/// last prompt token must be evaluated to get the logits of the answer.
/// </summary>
public sealed record PreparedPrompt(string Prefix, int[] PrefixTokens, int[] Tokens, int SharedLength)
{
    public int EvaluatedLength => Tokens.Length - SharedLength;
}
