using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Clients;

namespace DarwinGrid.Silo.Hosting;

/// <summary>
/// Follows a campaign's status stream until it finishes, across silo failures: when the silo
/// holding the campaign dies the stream breaks (the enumeration is aborted or the call rejected);
/// the watcher then asks for the status with retries and subscribes again on the campaign's new
/// activation.
/// </summary>
public static class CampaignWatcher
{
    public static async Task<CampaignStatus> FollowAsync(ICampaignGrain campaign, GrainCallRetry retry, Action<CampaignStatus> onStatus, CancellationToken cancellationToken)
    {
        while (true)
        {
            CampaignStatus? last = null;
            try
            {
                await foreach (var status in campaign.WatchAsync().WithCancellation(cancellationToken))
                {
                    last = status;
                    onStatus(status);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsBrokenStream(e))
            {
                // The campaign moved to another silo; the status call below finds it there.
            }
            last = await retry.RunAsync(() => campaign.GetStatusAsync(), idempotent: true, cancellationToken);
            onStatus(last);
            if (last.IsFinished)
                return last;
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static bool IsBrokenStream(Exception e) =>
        e is EnumerationAbortedException || GrainCallRetry.IsRejection(e) || GrainCallRetry.IsTimeout(e) || e is OrleansException;
}
