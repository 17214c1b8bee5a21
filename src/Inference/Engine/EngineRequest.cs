namespace DarwinGrid.Inference.Engine;

/// <summary>
/// One prompt: <paramref name="SharedPrefix"/> (e.g. preamble + instruction, identical for many
/// candidates, evaluated once and reused) followed by <paramref name="Suffix"/> (the candidate's
/// own text). The prompt is always tokenized as a whole, so splitting it never changes tokens.
/// </summary>
public sealed record EngineRequest(string SharedPrefix, string Suffix, ResponseMode Mode)
{
    public string Prompt => SharedPrefix + Suffix;
}
