using System.Collections.Immutable;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Clients;

namespace DarwinGrid.Web.Campaigns;

/// <summary>One campaign for its detail page: status, definition, result queries, charts, top candidates and the operator actions.</summary>
public sealed class CampaignDetailModel(IGrainFactory grains)
{
    /// <summary>At most this many results feed the charts; the grid pages through all of them.</summary>
    public const int ChartSampleLimit = 10_000;

    private ICampaignGrain? _grain;

    public string Id { get; private set; } = "";

    public CampaignStatus? Status { get; private set; }

    public CampaignDefinition? Definition { get; private set; }

    /// <summary>No campaign with this id was ever created.</summary>
    public bool NotFound { get; private set; }

    public ImmutableArray<string> Tasks => Definition?.Tasks ?? [];

    public RankingMode Ranking => Definition?.Ranking.Mode ?? RankingMode.WeightedScore;

    public bool IsRanked =>
        Definition is { Ranking.Objectives.IsDefaultOrEmpty: false } or { Ranking.Mode: RankingMode.ProbabilityOfSuccess } && Status?.State == CampaignState.Completed;

    public bool CanPause => Status?.State == CampaignState.Running;

    public bool CanResume => Status?.State == CampaignState.Paused;

    public bool CanCancel => Status is { IsFinished: false };

    private ICampaignGrain Grain => _grain ?? throw new InvalidOperationException("Load a campaign first.");

    public async Task LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        Id = id;
        // Checked against the directory first: an unknown id in the URL never activates a campaign grain.
        _grain = await grains.FindCampaignAsync(id).WaitAsync(cancellationToken);
        Definition = _grain is null ? null : await _grain.GetDefinitionAsync().WaitAsync(cancellationToken);
        NotFound = Definition is null;
        Status = NotFound ? null : await Grain.GetStatusAsync().WaitAsync(cancellationToken);
    }

    /// <summary>Asks for the status again; true when something a page shows changed.</summary>
    public async Task<bool> RefreshStatusAsync(CancellationToken cancellationToken = default)
    {
        if (NotFound)
            return false;
        var before = Status;
        Status = await Grain.GetStatusAsync().WaitAsync(cancellationToken);
        return before is null || before.State != Status.State || before.Done != Status.Done || before.CandidatesPerSecond != Status.CandidatesPerSecond;
    }

    public Task<ResultPage> QueryAsync(ResultGridRequest request, CancellationToken cancellationToken = default) =>
        Grain.GetResultsAsync(request.ToQuery(Ranking)).WaitAsync(cancellationToken);

    /// <summary>The best <paramref name="k"/> candidates passing the filters (empty until the campaign is ranked).</summary>
    public async Task<ImmutableArray<CandidateResult>> TopAsync(int k, CancellationToken cancellationToken = default) =>
        Definition is null ? [] : await Grain.GetTopAsync(k).WaitAsync(cancellationToken);

    public async Task<CampaignCharts?> ChartsAsync(CancellationToken cancellationToken = default)
    {
        if (Definition is null)
            return null;
        var page = await Grain.GetResultsAsync(new ResultQuery(0, ChartSampleLimit, ResultSortKey.Composition, Descending: false)).WaitAsync(cancellationToken);
        return new CampaignCharts(page.Items, page.TotalCount, Definition);
    }

    public Task<ImmutableArray<RejectedCandidate>> RejectedAsync(int limit = 200, CancellationToken cancellationToken = default) =>
        Grain.GetRejectedAsync(limit).WaitAsync(cancellationToken);

    public async Task PauseAsync() => Status = await Grain.PauseAsync();

    public async Task ResumeAsync() => Status = await Grain.ResumeAsync();

    public async Task CancelAsync() => Status = await Grain.CancelAsync();
}
