using System.Collections.Immutable;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// The lab loop of one campaign (key: the campaign id): proposes the batch to make next, takes the
/// lab's measured values in as versioned datasets, starts the LoRA update that learns from them and
/// switches the campaign to the new version. Everything it keeps (proposals, lab datasets, updates)
/// is its own grain state, bounded by <see cref="LoopLimits"/>; the results stores are not touched.
/// </summary>
[Alias("DarwinGrid.ILoopGrain")]
public interface ILoopGrain : IGrainWithStringKey
{
    /// <summary>Chooses and stores the next batch; refused (ArgumentException / InvalidOperationException) with the reason.</summary>
    [Alias("Propose")] Task<LoopProposal> ProposeAsync(ProposalRequest request);

    /// <summary>Validates a CSV of measured values row by row; stores it as the next dataset version only when every row is good.</summary>
    [Alias("Measured")] Task<MeasuredUploadResult> UploadMeasuredAsync(MeasuredUpload upload);

    /// <summary>Rounds, proposals (without their candidates' distributions), datasets and updates.</summary>
    [Alias("Overview")] Task<LoopOverview> GetOverviewAsync();

    /// <summary>One stored proposal with every candidate (round from 1).</summary>
    [Alias("Proposal")] Task<LoopProposal?> GetProposalAsync(int round);

    /// <summary>Every measured value beside the prediction the campaign held for it when it was uploaded.</summary>
    [Alias("Comparison")] Task<ImmutableArray<MeasuredVsPredicted>> GetComparisonAsync();

    /// <summary>Starts a LoRA run from the campaign's model version on the lab records (plus replay); returns its state.</summary>
    [Alias("Update")] Task<LoopUpdate> StartUpdateAsync(LoopUpdateRequest request);

    /// <summary>The updates so far, the last one's training state refreshed.</summary>
    [Alias("Updates")] Task<ImmutableArray<LoopUpdate>> GetUpdatesAsync();

    /// <summary>
    /// Switches the campaign to <paramref name="modelVersion"/> (null: the last completed update's version)
    /// and screens its candidates again with it.
    /// </summary>
    [Alias("Rescreen")] Task<Campaigns.CampaignStatus> RescreenAsync(string? modelVersion = null);
}
