using System.CommandLine;
using System.Globalization;
using DarwinGrid.Domain.Acquisition;
using DarwinGrid.Grains.Loop;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin loop propose --campaign ID --n 20 --rule poi|ei|ucb</c>: the next batch, stored as a round.</summary>
public static class LoopProposeCommand
{
    public static Command Create()
    {
        var campaign = LoopCommand.Campaign();
        var n = new Option<int>("--n") { Description = $"Candidates to propose (1-{LoopLimits.MaxBatch}).", DefaultValueFactory = _ => 20 };
        var rule = new Option<string>("--rule") { Description = $"Acquisition rule: {AcquisitionRules.Names}.", DefaultValueFactory = _ => "poi" };
        var diversity = new Option<double>("--diversity")
        {
            Description = "Penalty weight on the similarity to candidates already in the batch (0: the plain top n).",
            DefaultValueFactory = _ => ProposalRequest.DefaultDiversity,
        };
        var objective = new Option<string?>("--objective") { Description = "The task EI and UCB score (default: the campaign's first numeric objective)." };
        var command = new Command("propose", "Propose the next batch of candidates to make, by an acquisition rule with a diversity penalty.");
        command.Options.Add(campaign);
        command.Options.Add(n);
        command.Options.Add(rule);
        command.Options.Add(diversity);
        command.Options.Add(objective);
        return LoopCommand.WithGrid(command, async (r, grid, ct) =>
        {
            var request = new ProposalRequest(r.GetValue(n), (ProposalRule)(int)AcquisitionRules.Parse(r.GetValue(rule)), r.GetValue(diversity),
                r.GetValue(objective), LoopCommand.User);
            var loop = await LoopCommand.FindAsync(grid, r.GetValue(campaign)!, ct);
            var proposal = await grid.Retry.RunAsync(() => loop.ProposeAsync(request), idempotent: false, ct);
            Write(r.InvocationConfiguration.Output, proposal);
            return 0;
        });
    }

    public static void Write(TextWriter output, LoopProposal proposal)
    {
        output.WriteLine($"Round {proposal.Round}: {proposal.Candidates.Length} candidates by {proposal.Rule.ToString().ToLowerInvariant()} " +
                         $"(model {proposal.ModelVersionLabel}, diversity {Number(proposal.Diversity)}; {proposal.Considered:N0} considered, {proposal.ExcludedMeasured:N0} measured left out)" +
                         (proposal.BestMeasured is { } best ? $"; best so far {Number(best)}" : ""));
        if (proposal.Note is { } note)
            output.WriteLine(note);
        var tasks = proposal.Candidates.SelectMany(c => c.Predictions.Select(p => p.Task)).Distinct().ToList();
        var rows = proposal.Candidates.Select(c => new[]
        {
            c.Rank.ToString(CultureInfo.InvariantCulture), c.Composition, Number(c.Acquisition), Number(c.MaxSimilarity),
            c.SuccessProbability is { } p ? Number(p) : "",
        }.Concat(tasks.Select(t => Describe(c.Predictions.FirstOrDefault(p => p.Task == t)))).ToArray()).ToList();
        TextTable.Write(output, ["rank", "composition", proposal.Rule.ToString().ToLowerInvariant(), "similarity", "p_success", .. tasks], rows, [0, 2, 3, 4]);
    }

    /// <summary>A prediction as "median [low, high]" or "label (p)".</summary>
    public static string Describe(PredictedSummary? predicted) => predicted switch
    {
        null => "",
        { Label: { } label } => $"{label} ({Number(predicted.Probability ?? double.NaN)})",
        { Low: { } low, High: { } high } => $"{Number(predicted.Median ?? double.NaN)} [{Number(low)}, {Number(high)}]",
        _ => Number(predicted.Median ?? double.NaN),
    };

    public static string Number(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
