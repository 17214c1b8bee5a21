using System.CommandLine;
using System.Globalization;
using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Loop;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin loop update --campaign ID</c>: a LoRA update on the lab records, waited for (a silo started
/// by the verb would take the run with it); <c>darwin loop rescreen --campaign ID</c>: the campaign
/// switched to the new version and screened again, waited for.
/// </summary>
public static class LoopUpdateCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var campaign = LoopCommand.Campaign();
        var steps = new Option<int>("--steps") { Description = $"Optimizer steps of the LoRA run (1-{LoopLimits.MaxUpdateSteps}).", DefaultValueFactory = _ => LoopUpdateRequest.DefaultSteps };
        var preset = new Option<string?>("--preset") { Description = "Trainer recipe (default: the one the campaign's version was trained with, else mini)." };
        var threads = new Option<int>("--threads") { Description = "Training threads (0: all cores)." };
        var command = new Command("update", "Learn from the measured values: a LoRA run from the campaign's model version on the lab records mixed with a replay of the original data.");
        command.Options.Add(campaign);
        command.Options.Add(steps);
        command.Options.Add(preset);
        command.Options.Add(threads);
        return LoopCommand.WithGrid(command, async (r, grid, ct) =>
        {
            var output = r.InvocationConfiguration.Output;
            var loop = await LoopCommand.FindAsync(grid, r.GetValue(campaign)!, ct);
            var request = new LoopUpdateRequest(r.GetValue(steps), r.GetValue(preset), LoopCommand.User, r.GetValue(threads));
            var update = await grid.Retry.RunAsync(() => loop.StartUpdateAsync(request), idempotent: false, ct);
            output.WriteLine($"Update {update.Number}: training run {update.RunId} from {update.ParentVersion} on {update.TrainRecords} lab records (+ replay), {update.HeldOutRecords} held out");
            var lastStep = -1;
            while (update.State == LoopUpdateState.Running)
            {
                await Task.Delay(Poll, ct);
                update = (await grid.Retry.RunAsync(() => loop.GetUpdatesAsync(), idempotent: true, ct)).Single(u => u.Number == update.Number);
                if (update.Step != lastStep && update.TotalSteps > 0)
                {
                    output.WriteLine($"  step {update.Step}/{update.TotalSteps}");
                    lastStep = update.Step;
                }
            }
            if (update.State != LoopUpdateState.Completed)
            {
                r.InvocationConfiguration.Error.WriteLine($"darwin loop update: update {update.Number} {update.State.ToString().ToLowerInvariant()}: {update.Error}");
                return 1;
            }
            output.WriteLine($"Registered {update.NewVersion} (parent {update.ParentVersion}); held-out lab records:");
            foreach (var (task, scores) in update.Scores ?? [])
                output.WriteLine($"  {task}: n {Get(scores, "n")}, mae before {Get(scores, "mae before")}, after {Get(scores, "mae after")}");
            output.WriteLine($"Screen with it: darwin loop rescreen --campaign {r.GetValue(campaign)}");
            return 0;
        });
    }

    public static Command CreateRescreen()
    {
        var campaign = LoopCommand.Campaign();
        var model = new Option<string?>("--model") { Description = "The version to screen with (default: the last completed update's)." };
        var command = new Command("rescreen", "Switch the campaign to the updated model version and screen its candidates again.");
        command.Options.Add(campaign);
        command.Options.Add(model);
        return LoopCommand.WithGrid(command, async (r, grid, ct) =>
        {
            var id = r.GetValue(campaign)!;
            var loop = await LoopCommand.FindAsync(grid, id, ct);
            var status = await grid.Retry.RunAsync(() => loop.RescreenAsync(r.GetValue(model)), idempotent: false, ct);
            var version = status.Tasks.FirstOrDefault()?.ModelVersion;
            r.InvocationConfiguration.Output.WriteLine($"Campaign {id} screens {status.Candidates:N0} candidates again with {version}");
            while (!status.IsFinished)
            {
                await Task.Delay(Poll, ct);
                status = await grid.Retry.RunAsync(() => grid.Client.GetGrain<ICampaignGrain>(id).GetStatusAsync(), idempotent: true, ct);
            }
            r.InvocationConfiguration.Output.WriteLine($"Campaign {id} {status.State.ToString().ToLowerInvariant()}: {status.Done:N0} predictions ({status.Cached:N0} cached, {status.Failed:N0} failed) with {version}");
            return status.State == CampaignState.Completed ? 0 : 1;
        });
    }

    private static string Get(IReadOnlyDictionary<string, double> scores, string key) =>
        scores.TryGetValue(key, out var value) ? value.ToString("G4", CultureInfo.InvariantCulture) : "-";
}
