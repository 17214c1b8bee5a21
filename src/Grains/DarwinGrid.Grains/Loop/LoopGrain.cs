using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Storage;
using DarwinGrid.Grains.GrainSupport;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Loop;

/// <summary>
/// A campaign's lab loop (key: the campaign id). Proposals, lab datasets and updates live in this
/// grain's state (<see cref="LoopGrainState"/>); the campaign's predictions are read from the results
/// store, page by page, off the grain's scheduler. Callers look the campaign up in the directory
/// first; a call for a campaign that does not exist is refused and leaves no state.
/// </summary>
public sealed partial class LoopGrain(
    [PersistentState("loop")] IPersistentState<LoopGrainState> state,
    IResultStore store,
    ILogger<LoopGrain> logger) : Grain, ILoopGrain
{
    private StateWriter? _writer;

    private LoopGrainState S => state.State;
    private string Id => this.GetPrimaryKeyString();
    private ICampaignGrain Campaign => GrainFactory.GetGrain<ICampaignGrain>(Id);

    public Task<LoopProposal?> GetProposalAsync(int round) =>
        Task.FromResult(round >= 1 && round <= S.Proposals.Count ? S.Proposals[round - 1] : null);

    public async Task<LoopOverview> GetOverviewAsync()
    {
        var definition = await RequireDefinitionAsync();
        await RefreshUpdateAsync();
        var objective = DefaultObjective(definition);
        return new LoopOverview(Id,
            [.. S.Proposals.Select(p => new LoopProposalSummary(p.Round, p.CreatedAt, p.CreatedBy, p.Rule, p.ModelVersionLabel, p.Candidates.Length, p.Note))],
            [.. S.Datasets.Select(d => d.Info)],
            [.. S.Updates],
            [.. S.Screenings],
            DiscoveryCurve.Of(S.Proposals, LabRecordSelection.Current(S.Datasets), definition.Filters, objective),
            S.Datasets.Sum(d => d.Rows.Count),
            objective?.Task);
    }

    public Task<ImmutableArray<MeasuredVsPredicted>> GetComparisonAsync() => Task.FromResult(MeasuredComparison.Of(S.Datasets, S.Proposals));

    private async Task<CampaignDefinition> RequireDefinitionAsync()
    {
        if (await Campaign.GetDefinitionAsync() is { } definition)
            return definition;
        DeactivateOnIdle();
        throw new InvalidOperationException($"Campaign '{Id}' does not exist.");
    }

    /// <summary>The objective EI and UCB score by default: the campaign's first objective on a numeric task.</summary>
    private static Objective? DefaultObjective(CampaignDefinition definition) =>
        definition.Ranking.Objectives.IsDefaultOrEmpty ? null
        : definition.Ranking.Objectives.FirstOrDefault(o => Domain.Tasks.TaskCatalog.Get(o.Task).Kind == Domain.Tasks.TaskKind.Regression);

    /// <summary>The first screening round is the campaign's own; the loop records it when it first needs it.</summary>
    private void NoteFirstScreening(CampaignStatus status)
    {
        if (S.Screenings.Count > 0 || status.Tasks.IsDefaultOrEmpty || status.StartedAt is not { } started)
            return;
        S.Screenings.Add(new ScreeningRound(1, VersionLabel(status), started, null));
    }

    private static string VersionLabel(CampaignStatus status) =>
        string.Join(", ", status.Tasks.Select(t => t.ModelVersion).OfType<string>().Distinct(StringComparer.Ordinal));

    /// <summary>The state is written the one way every grain writes it (<see cref="StateWriter"/>).</summary>
    private Task WriteAsync() => (_writer ??= new StateWriter(() => state.WriteStateAsync())).WriteAsync();
}
