namespace DarwinGrid.Grains.Campaigns;

/// <summary>
/// Stored state of <see cref="CampaignGrain"/> (never renamed). The definition is stored without
/// its inline compositions once they are in the results store, so the row stays small.
/// </summary>
public sealed class CampaignGrainState
{
    public CampaignDefinition? Definition { get; set; }
    public CampaignState State { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }

    /// <summary>Candidates stored (accepted rows), which are also the next candidate index.</summary>
    public long Candidates { get; set; }

    public long Rejected { get; set; }

    /// <summary>Input rows read so far (accepted and rejected), the next row number.</summary>
    public long InputRows { get; set; }

    /// <summary>True once every candidate of a CSV or generator source is in the store.</summary>
    public bool Ingested { get; set; }

    /// <summary>Task -> the model version whose answers the campaign uses (fixed at start).</summary>
    public Dictionary<string, string> TaskVersions { get; set; } = new(StringComparer.Ordinal);
}
