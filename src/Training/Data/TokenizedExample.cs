namespace DarwinGrid.Training.Data;

/// <summary>
/// A training example as token ids. <see cref="PromptTokens"/> start with BOS and equal what the
/// inference engine feeds for the prompt (<c>DarwinTokenizer.Encode(prompt, addBos: true)</c>);
/// <see cref="ResponseTokens"/> are the answer's continuation tokens followed by EOS, as DARWIN's
/// train.py trains on <c>output + &lt;/s&gt;</c>. The loss covers the response tokens only.
/// </summary>
public sealed record TokenizedExample(int[] PromptTokens, int[] ResponseTokens, string Task)
{
    public int Length => PromptTokens.Length + ResponseTokens.Length;
}
