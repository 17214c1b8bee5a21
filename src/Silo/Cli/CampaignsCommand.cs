using System.CommandLine;
using System.Globalization;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin campaigns</c>: every campaign with its state and progress.</summary>
public static class CampaignsCommand
{
    public static Command Create()
    {
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var command = new Command("campaigns", "List the campaigns with their state and progress.");
        command.Options.Add(cluster);
        command.Options.Add(home);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            try
            {
                await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home), ct);
                var campaigns = await grid.Retry.RunAsync(() => grid.Client.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ListAsync(), idempotent: true, ct);
                if (campaigns.IsEmpty)
                {
                    r.InvocationConfiguration.Output.WriteLine("No campaigns yet; run one with 'darwin screen'.");
                    return 0;
                }
                var rows = new List<string[]>();
                foreach (var summary in campaigns)
                {
                    var status = await grid.Retry.RunAsync(() => grid.Client.GetGrain<ICampaignGrain>(summary.Id).GetStatusAsync(), idempotent: true, ct);
                    rows.Add([summary.Id, summary.Name, status.State.ToString(), status.Candidates.ToString(CultureInfo.InvariantCulture),
                        $"{status.Done}/{status.Total}", status.Failed.ToString(CultureInfo.InvariantCulture), status.Cached.ToString(CultureInfo.InvariantCulture),
                        summary.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)]);
                }
                TextTable.Write(r.InvocationConfiguration.Output, ["id", "name", "state", "candidates", "done", "failed", "cached", "created"], rows, [3, 4, 5, 6]);
                return 0;
            }
            catch (InvalidOperationException e)
            {
                r.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }
}
