using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Grains.Tasks;

/// <summary>What a task grain owns: one property across one campaign's candidates, answered with one estimate.</summary>
[GenerateSerializer, Immutable]
public sealed record TaskAssignment(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] string Task,
    [property: Id(2)] string ModelVersion,
    [property: Id(3)] long CandidateCount,
    [property: Id(4)] Models.PredictionEstimate Estimate = Models.PredictionEstimate.Median);

/// <summary>
/// Owns one property across a campaign (key: <c>{campaignId}|{task}</c>): cuts candidates into
/// batches, keeps a bounded number in flight to model grains, retries failures, and records
/// progress durably so nothing is lost or counted twice.
/// </summary>
[Alias("DarwinGrid.ITaskGrain")]
public interface ITaskGrain : IGrainWithStringKey
{
    public static string KeyOf(string campaignId, string task) => $"{campaignId}|{task}";

    [Alias("Start")] Task StartAsync(TaskAssignment assignment);
    [Alias("Pause")] Task PauseAsync();
    [Alias("Resume")] Task ResumeAsync();
    [Alias("Cancel")] Task CancelAsync();
    [Alias("Progress")] Task<TaskProgress> GetProgressAsync();
}
