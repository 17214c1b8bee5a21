using System.CommandLine;
using DarwinGrid.Grains.Clients;
using DarwinGrid.Grains.Loop;
using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin loop</c>: a campaign's lab loop. <c>propose</c> the next batch, upload <c>measured</c>
/// values, <c>update</c> the model on them (LoRA), <c>rescreen</c> with the new version, <c>show</c> it all.
/// </summary>
public static class LoopCommand
{
    public static Command Create()
    {
        var command = new Command("loop", "A campaign's lab loop: propose a batch, upload measured values, update the model on them, rescreen.");
        command.Subcommands.Add(LoopProposeCommand.Create());
        command.Subcommands.Add(LoopMeasuredCommand.Create());
        command.Subcommands.Add(LoopUpdateCommand.Create());
        command.Subcommands.Add(LoopUpdateCommand.CreateRescreen());
        command.Subcommands.Add(LoopShowCommand.Create());
        return command;
    }

    public static Option<string> Campaign() => new("--campaign") { Description = "The campaign id.", Required = true };

    /// <summary>The loop grain of a campaign that exists (checked in the directory, so an unknown id activates nothing).</summary>
    public static async Task<ILoopGrain> FindAsync(GridConnection grid, string campaignId, CancellationToken cancellationToken)
    {
        var found = await grid.Retry.RunAsync(() => grid.Client.FindCampaignAsync(campaignId), idempotent: true, cancellationToken);
        return found is null
            ? throw new InvalidOperationException($"Campaign '{campaignId}' does not exist (see 'darwin campaigns').")
            : grid.Client.GetGrain<ILoopGrain>(campaignId);
    }

    /// <summary>Who runs the verb: the user of this process (provenance of proposals, uploads and updates).</summary>
    public static string User => $"{Environment.UserName} (cli)";

    /// <summary>Runs a verb against the grid; refusals (unknown campaign, bad request, wrong state) are one line on stderr and exit code 1.</summary>
    public static Command WithGrid(Command command, Func<ParseResult, GridConnection, CancellationToken, Task<int>> action)
    {
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        command.Options.Add(cluster);
        command.Options.Add(home);
        command.SetReportedAction(async (r, ct) =>
        {
            await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home), ct);
            return await action(r, grid, ct);
        }, e => e is InvalidOperationException or ArgumentException ? VerbFailures.ExitFailed : null);
        return command;
    }
}
