using System.Collections.Immutable;
using System.Globalization;
using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Grains.Campaigns;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Grains.Loop;

// Proposing a batch: every candidate of the completed campaign scored by the rule, the best
// LoopLimits.MaxPool kept, the batch picked from them with the diversity penalty.
public sealed partial class LoopGrain
{
    public async Task<LoopProposal> ProposeAsync(ProposalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Count is < 1 or > LoopLimits.MaxBatch)
            throw new ArgumentException($"The batch size must be between 1 and {LoopLimits.MaxBatch} (got {request.Count}).");
        if (!Enum.IsDefined(request.Rule))
            throw new ArgumentException($"Unknown rule {(int)request.Rule}; expected {AcquisitionRules.Names}.");
        if (!(request.Diversity >= 0 && request.Diversity <= LoopLimits.MaxDiversity))
            throw new ArgumentException($"The diversity weight must be between 0 and {LoopLimits.MaxDiversity} (got {request.Diversity.ToString(CultureInfo.InvariantCulture)}).");
        var definition = await RequireDefinitionAsync();
        if (S.Proposals.Count >= LoopLimits.MaxProposals)
            throw new InvalidOperationException($"Campaign '{Id}' has {S.Proposals.Count} proposals, the most a campaign keeps ({LoopLimits.MaxProposals}); start a new campaign for more rounds.");
        var status = await Campaign.GetStatusAsync();
        if (status.State != CampaignState.Completed)
            throw new InvalidOperationException($"Campaign '{Id}' is {status.State}; a batch is proposed from a completed screening.");

        var filters = definition.Filters.IsDefault ? [] : definition.Filters;
        var rule = request.Rule;
        if (rule == ProposalRule.Poi && filters.Length == 0)
            throw new ArgumentException("The rule poi is the probability that every filter is met, and the campaign has no filters; use ei or ucb, or a campaign with filters.");
        var objective = rule == ProposalRule.Poi ? null : ResolveObjective(definition, request.Objective, rule);
        var versions = status.Tasks.Where(t => t.ModelVersion is not null).ToDictionary(t => t.Task, t => t.ModelVersion!, StringComparer.Ordinal);
        var current = LabRecordSelection.Current(S.Datasets);
        var measured = current.Select(r => r.Composition).ToHashSet(StringComparer.Ordinal);

        string? note = null;
        double? best = null;
        if (rule == ProposalRule.Ei && objective is not null)
        {
            var values = current.Where(r => r.Task == objective.Task && r.Value is not null).Select(r => r.Value!.Value).ToList();
            if (values.Count > 0)
                best = ImprovementScores.BestMeasured(values, AcquisitionScoring.Goal(objective.Goal), objective.Target);
            else
            {
                best = await BestPredictedMedianAsync(objective, versions, measured);
                note = best is null ? null : $"No {objective.Task} value measured yet: expected improvement over the best predicted median ({best.Value.ToString("G6", CultureInfo.InvariantCulture)}).";
            }
            if (best is null)
                throw new InvalidOperationException($"No candidate of campaign '{Id}' has a {objective.Task} prediction to improve on.");
        }

        var pool = new ProposalPool(rule, versions, filters, objective, best, measured);
        var id = Id;
        await Task.Run(async () =>
        {
            await foreach (var candidate in store.ReadAllResultsAsync(id))
                pool.Add(candidate);
        });
        var picks = pool.Pick(request.Count, request.Diversity);
        if (picks.Count == 0)
            throw new InvalidOperationException(pool.ExcludedMeasured > 0
                ? $"No candidate is left to propose: {pool.ExcludedMeasured} are measured and the rest have no usable prediction."
                : "No candidate has a usable prediction for this rule.");

        NoteFirstScreening(status);
        var proposal = new LoopProposal(S.Proposals.Count + 1, DateTimeOffset.UtcNow, Who(request.RequestedBy), rule,
            versions.ToImmutableDictionary(StringComparer.Ordinal), objective?.Task, best, request.Diversity,
            pool.Considered, pool.ExcludedMeasured, [.. picks], note);
        S.Proposals.Add(proposal);
        await WriteAsync();
        logger.LogInformation("Campaign {Id}: round {Round} proposes {Count} of {Considered} candidates by {Rule} ({Excluded} measured left out)",
            Id, proposal.Round, picks.Count, pool.Considered, rule, pool.ExcludedMeasured);
        return proposal;
    }

    private static Objective ResolveObjective(CampaignDefinition definition, string? requested, ProposalRule rule)
    {
        var objectives = definition.Ranking.Objectives.IsDefault ? [] : definition.Ranking.Objectives;
        if (requested is null)
            return DefaultObjective(definition) ?? throw new ArgumentException(
                $"The rule {rule.ToString().ToLowerInvariant()} scores an objective, and the campaign ranks by no numeric objective; use poi, or name one with the campaign's objectives.");
        var task = TaskAliases.TryResolve(requested)?.Name ?? throw new ArgumentException($"Unknown objective task '{requested}'.");
        var objective = objectives.FirstOrDefault(o => o.Task == task) ?? throw new ArgumentException(
            $"'{task}' is not one of the campaign's objectives ({(objectives.Length == 0 ? "none" : string.Join(", ", objectives.Select(o => o.Task)))}).");
        return TaskCatalog.Get(task).Kind == TaskKind.Regression
            ? objective
            : throw new ArgumentException($"The objective '{task}' is a classification; {rule.ToString().ToLowerInvariant()} needs a numeric one.");
    }

    /// <summary>EI's incumbent before anything was measured: the best predicted median among the unmeasured candidates.</summary>
    private async Task<double?> BestPredictedMedianAsync(Objective objective, IReadOnlyDictionary<string, string> versions, IReadOnlySet<string> measured)
    {
        var id = Id;
        var goal = AcquisitionScoring.Goal(objective.Goal);
        return await Task.Run(async () =>
        {
            var medians = new List<double>();
            await foreach (var candidate in store.ReadAllResultsAsync(id))
            {
                if (measured.Contains(candidate.Composition))
                    continue;
                if (AcquisitionScoring.Distribution(CurrentPredictions.Of(candidate, versions), objective.Task) is { } distribution)
                    medians.Add(distribution.Median);
            }
            return medians.Count == 0 ? (double?)null : ImprovementScores.BestMeasured(medians, goal, objective.Target);
        });
    }

    private static string Who(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "unknown" : name.Trim().Length <= LoopLimits.MaxNameLength ? name.Trim() : name.Trim()[..LoopLimits.MaxNameLength];
}
