using System.CommandLine;
using System.Globalization;
using DarwinGrid.Grains.Loop;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin loop show --campaign ID</c>: rounds, datasets, updates, the discovery curve and measured vs predicted.</summary>
public static class LoopShowCommand
{
    public static Command Create()
    {
        var campaign = LoopCommand.Campaign();
        var command = new Command("show", "Show a campaign's loop: proposals, lab datasets, updates, the discovery curve, measured vs predicted.");
        command.Options.Add(campaign);
        return LoopCommand.WithGrid(command, async (r, grid, ct) =>
        {
            var output = r.InvocationConfiguration.Output;
            var loop = await LoopCommand.FindAsync(grid, r.GetValue(campaign)!, ct);
            var overview = await grid.Retry.RunAsync(() => loop.GetOverviewAsync(), idempotent: true, ct);
            output.WriteLine("Rounds:");
            TextTable.Write(output, ["round", "rule", "model", "candidates", "measured", "hits", "best", "by", "at"],
                [.. overview.Proposals.Zip(overview.Discovery, (p, d) => new[]
                {
                    Text(p.Round), p.Rule.ToString().ToLowerInvariant(), p.ModelVersion, Text(p.Count), Text(d.Measured), Text(d.CumulativeHits),
                    d.BestMeasured is { } b ? LoopProposeCommand.Number(b) : "", p.CreatedBy, p.CreatedAt.ToString("u", CultureInfo.InvariantCulture),
                })], [0, 3, 4, 5, 6]);
            output.WriteLine("Lab datasets:");
            TextTable.Write(output, ["version", "rows", "re-measured", "file", "sha256", "by", "at"],
                [.. overview.Datasets.Select(d => new[] { Text(d.Version), Text(d.Rows), Text(d.Superseded), d.FileName ?? "", d.Sha256[..12], d.UploadedBy, d.UploadedAt.ToString("u", CultureInfo.InvariantCulture) })], [0, 1, 2]);
            output.WriteLine("Updates:");
            TextTable.Write(output, ["update", "state", "from", "new version", "train", "held out", "mae before", "mae after"],
                [.. overview.Updates.Select(u => new[]
                {
                    Text(u.Number), u.State.ToString().ToLowerInvariant(), u.ParentVersion, u.NewVersion ?? "", Text(u.TrainRecords), Text(u.HeldOutRecords),
                    Score(u, "mae before"), Score(u, "mae after"),
                })], [0, 4, 5, 6, 7]);
            output.WriteLine("Measured vs predicted:");
            var comparison = await grid.Retry.RunAsync(() => loop.GetComparisonAsync(), idempotent: true, ct);
            TextTable.Write(output, ["composition", "task", "measured", "predicted", "inside", "version", "round"],
                [.. comparison.Select(c => new[]
                {
                    c.Composition, c.Task, c.Measured is { } m ? LoopProposeCommand.Number(m) : c.MeasuredLabel ?? "", LoopProposeCommand.Describe(c.Predicted),
                    c.Inside is { } inside ? (inside ? "yes" : "no") : "", Text(c.DatasetVersion), c.Round is { } round ? Text(round) : "",
                })], [2]);
            return 0;
        });
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The metric over the held-out lab records of every task (one task in most campaigns; the first with the metric otherwise).</summary>
    private static string Score(LoopUpdate update, string metric) =>
        (update.Scores ?? []).Values.Where(s => s.ContainsKey(metric)).Select(s => LoopProposeCommand.Number(s[metric])).FirstOrDefault() ?? "";
}
