using DarwinGrid.Grains.Loop;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// Stored state of <see cref="LoopGrain"/> (never renamed): the campaign's proposals, lab dataset
/// versions with their rows, updates and screening rounds, each list bounded by <see cref="LoopLimits"/>.
/// Kept in grain state (not the results stores) so every grain-storage provider holds it unchanged.
/// </summary>
public sealed class LoopGrainState
{
    public List<LoopProposal> Proposals { get; set; } = [];

    public List<StoredLabDataset> Datasets { get; set; } = [];

    public List<LoopUpdate> Updates { get; set; } = [];

    public List<ScreeningRound> Screenings { get; set; } = [];
}

/// <summary>One dataset version: its provenance and its rows.</summary>
public sealed class StoredLabDataset
{
    public LabDatasetInfo Info { get; set; } = default!;

    public List<LabMeasurement> Rows { get; set; } = [];
}
