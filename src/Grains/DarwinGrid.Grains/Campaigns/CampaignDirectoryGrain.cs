using System.Collections.Immutable;
using DarwinGrid.Grains.GrainSupport;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>The list of campaigns and which are unfinished; each silo's keeper re-activates the unfinished ones.</summary>
public sealed class CampaignDirectoryGrain(
    [PersistentState("directory")] IPersistentState<CampaignDirectoryState> state) : Grain, ICampaignDirectoryGrain
{
    private StateWriter? _writer;

    private HashSet<string>? _ids; // the ids for ExistsAsync, built at its first call


    public async Task AddAsync(CampaignSummary campaign)
    {
        ArgumentNullException.ThrowIfNull(campaign);
        if (state.State.Campaigns.Any(c => c.Id == campaign.Id))
            return;
        state.State.Campaigns.Add(campaign);
        _ids?.Add(campaign.Id);
        state.State.Unfinished.Add(campaign.Id);
        await WriteAsync();
    }

    public Task<ImmutableArray<CampaignSummary>> ListAsync() =>
        Task.FromResult(state.State.Campaigns.OrderBy(c => c.CreatedAt).ToImmutableArray());

    public Task<ImmutableArray<string>> ListUnfinishedAsync() => Task.FromResult(state.State.Unfinished.ToImmutableArray());

    public Task<bool> ExistsAsync(string campaignId)
    {
        _ids ??= state.State.Campaigns.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        return Task.FromResult(campaignId is not null && _ids.Contains(campaignId));
    }

    public async Task MarkUnfinishedAsync(string campaignId)
    {
        if (state.State.Campaigns.Any(c => c.Id == campaignId) && !state.State.Unfinished.Contains(campaignId))
        {
            state.State.Unfinished.Add(campaignId);
            await WriteAsync();
        }
    }

    public async Task MarkFinishedAsync(string campaignId)
    {
        if (state.State.Unfinished.Remove(campaignId))
            await WriteAsync();
    }

    /// <summary>The state is written the one way every grain writes it (<see cref="StateWriter"/>).</summary>
    private Task WriteAsync() => (_writer ??= new StateWriter(() => state.WriteStateAsync())).WriteAsync();
}
