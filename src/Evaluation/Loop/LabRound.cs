namespace DarwinGrid.Evaluation.Loop;

/// <summary>One round of a virtual-lab run: what was made, how many were hits, and the model version that chose them.</summary>
public sealed record LabRound(int Round, IReadOnlyList<string> Batch, int Hits, int CumulativeHits, string ModelVersion);

/// <summary>A whole run of one strategy.</summary>
public sealed record VirtualLabRun(LoopStrategy Strategy, IReadOnlyList<LabRound> Rounds, int HitsInPool)
{
    public int Hits => Rounds.Count == 0 ? 0 : Rounds[^1].CumulativeHits;
}
