namespace DarwinGrid.Training.Optimization;

/// <summary>
/// One supervised example: the model reads <paramref name="PromptTokens"/> then
/// <paramref name="ResponseTokens"/>; only the response tokens are predicted in the loss. The prompt
/// carries the BOS token if the model expects one; the response carries EOS if it should learn to stop.
/// </summary>
public sealed record TrainingRecord(int[] PromptTokens, int[] ResponseTokens)
{
    public int Length => PromptTokens.Length + ResponseTokens.Length;
}
