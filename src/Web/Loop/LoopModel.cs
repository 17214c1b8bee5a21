using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Loop;

namespace DarwinGrid.Web.Loop;

/// <summary>
/// The Loop tab's state: the campaign's loop overview, its last proposal, measured vs predicted, and
/// the actions (propose, upload measured values, update, rescreen), each a call to <see cref="ILoopGrain"/>.
/// A refusal becomes <see cref="Error"/> (or the upload's row problems), never an exception in the page.
/// </summary>
public sealed class LoopModel(IGrainFactory grains)
{
    public string CampaignId { get; private set; } = "";

    public LoopOverview? Overview { get; private set; }

    public LoopProposal? LastProposal { get; private set; }

    public ImmutableArray<MeasuredVsPredicted> Comparison { get; private set; } = [];

    /// <summary>The last action's refusal, in the grain's words.</summary>
    public string? Error { get; private set; }

    /// <summary>The last upload's refused rows.</summary>
    public ImmutableArray<MeasuredRowProblem> UploadProblems { get; private set; } = [];

    /// <summary>What the last action did, for the page to say.</summary>
    public string? Message { get; private set; }

    public bool UpdateRunning => Overview?.Updates.LastOrDefault() is { State: LoopUpdateState.Running };

    public bool HasCompletedUpdate => Overview?.Updates.Any(u => u.State == LoopUpdateState.Completed) ?? false;

    private ILoopGrain Grain => grains.GetGrain<ILoopGrain>(CampaignId);

    public async Task LoadAsync(string campaignId)
    {
        CampaignId = campaignId;
        Overview = await Grain.GetOverviewAsync();
        LastProposal = Overview.Proposals.IsEmpty ? null : await Grain.GetProposalAsync(Overview.Proposals[^1].Round);
        Comparison = await Grain.GetComparisonAsync();
    }

    public Task ProposeAsync(int count, ProposalRule rule, double diversity, string user) => ActAsync(async () =>
    {
        var proposal = await Grain.ProposeAsync(new ProposalRequest(count, rule, diversity, RequestedBy: user));
        Message = $"Round {proposal.Round}: {proposal.Candidates.Length} candidates proposed by {proposal.Rule.ToString().ToLowerInvariant()}.";
    });

    public Task UploadAsync(string fileName, byte[] content, string user) => ActAsync(async () =>
    {
        var result = await Grain.UploadMeasuredAsync(new MeasuredUpload(content, user, fileName));
        UploadProblems = result.Problems;
        if (result.Accepted)
            Message = $"Lab dataset version {result.Dataset!.Version}: {result.Dataset.Rows} rows from {fileName}.";
        else
            Error = $"{fileName} was refused; nothing was imported.";
    });

    public Task UpdateAsync(int steps, string user) => ActAsync(async () =>
    {
        var update = await Grain.StartUpdateAsync(new LoopUpdateRequest(steps, RequestedBy: user));
        Message = $"Update {update.Number} started (training run {update.RunId}).";
    });

    public Task RescreenAsync() => ActAsync(async () =>
    {
        var status = await Grain.RescreenAsync();
        Message = $"Screening again with {status.Tasks.FirstOrDefault()?.ModelVersion}.";
    });

    private async Task ActAsync(Func<Task> action)
    {
        Error = null;
        Message = null;
        UploadProblems = [];
        try
        {
            await action();
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Error = e.Message;
        }
        await LoadAsync(CampaignId);
    }

    /// <summary>A prediction as "median [low, high]" or "label (p)".</summary>
    public static string Describe(PredictedSummary? predicted) => predicted switch
    {
        null => "–",
        { Label: { } label } => $"{label} ({Formatting.Numbers.Probability(predicted.Probability ?? 0)})",
        { Median: { } median, Low: { } low, High: { } high } => $"{Formatting.Numbers.Value(median)} [{Formatting.Numbers.Value(low)}, {Formatting.Numbers.Value(high)}]",
        { Median: { } median } => Formatting.Numbers.Value(median),
        _ => "–",
    };
}
