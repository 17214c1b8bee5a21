using Orleans.Concurrency;
using System.Collections.Immutable;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>A screening campaign (key: campaign id). Long work runs in task grains, never in a call.</summary>
[Alias("DarwinGrid.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Validates and stores the definition; invalid definitions are rejected with a message naming the problem.</summary>
    [Alias("Create")] Task<CampaignStatus> CreateAsync(CampaignDefinition definition);

    /// <summary>Adds uploaded candidates in chunks while the campaign is a draft; returns the rows rejected.</summary>
    [Alias("Append")] Task<ImmutableArray<RejectedCandidate>> AppendCandidatesAsync(ImmutableArray<string> compositions);

    [Alias("Start")] Task<CampaignStatus> StartAsync();
    [Alias("Pause")] Task<CampaignStatus> PauseAsync();
    [Alias("Resume")] Task<CampaignStatus> ResumeAsync();
    [Alias("Cancel")] Task<CampaignStatus> CancelAsync();

    /// <summary>
    /// Switches a completed campaign to another registered model version for every task and screens
    /// its candidates again with it (answers of that version already cached are reused; the old
    /// version's results stay stored under their version). Refused unless the campaign is completed.
    /// </summary>
    [Alias("Rescreen")] Task<CampaignStatus> RescreenAsync(string modelVersion);

    [Alias("Status")] Task<CampaignStatus> GetStatusAsync();
    [Alias("Definition")] Task<CampaignDefinition?> GetDefinitionAsync();
    [Alias("Rejected")] Task<ImmutableArray<RejectedCandidate>> GetRejectedAsync(int limit = 1000);

    /// <summary>The best <paramref name="k"/> candidates that pass the filters, by the campaign's ranking.</summary>
    [Alias("Top")] Task<ImmutableArray<CandidateResult>> GetTopAsync(int k);

    [Alias("Results")] Task<ResultPage> GetResultsAsync(ResultQuery query);

    /// <summary>All results as CSV lines (header first), streamed so exports of any size work.</summary>
    [Alias("Export")] IAsyncEnumerable<string> ExportCsvAsync();

    /// <summary>Status now, then on every change until the campaign finishes or the caller stops.</summary>
    [Alias("Watch")] IAsyncEnumerable<CampaignStatus> WatchAsync(CancellationToken cancellationToken = default);

    /// <summary>Called by task grains; not for clients.</summary>
    [Alias("TaskProgress")] Task ReportTaskProgressAsync(TaskProgress progress);
}

/// <summary>The list of campaigns (single activation, key <see cref="Key"/>).</summary>
[Alias("DarwinGrid.ICampaignDirectoryGrain")]
public interface ICampaignDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "default";

    [Alias("Add")] Task AddAsync(CampaignSummary campaign);
    [Alias("List")] Task<ImmutableArray<CampaignSummary>> ListAsync();
    [Alias("Active")] Task<ImmutableArray<string>> ListUnfinishedAsync();
    [Alias("Finished")] Task MarkFinishedAsync(string campaignId);

    /// <summary>A finished campaign runs again (a rescreen): the keepers look after it until it finishes.</summary>
    [Alias("Reopen")] Task MarkUnfinishedAsync(string campaignId);

    /// <summary>Whether a campaign with this id was created: asked before a campaign grain (and its state) is activated for an id a client sent.</summary>
    [Alias("Exists"), ReadOnly] Task<bool> ExistsAsync(string campaignId);
}
