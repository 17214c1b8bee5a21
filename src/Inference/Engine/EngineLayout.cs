namespace DarwinGrid.Inference.Engine;

/// <summary>
/// How the context's sequences and KV cells are divided. <see cref="CellBudget"/> is the KV cells
/// all sequences share (unified KV cache: the whole context) or each sequence has (split buffers).
/// </summary>
public sealed record EngineLayout(int PrefixSequences, int CandidateSequences, bool UnifiedKvCache, int CellBudget)
{
    public int TotalSequences => PrefixSequences + CandidateSequences;
}
