using System.CommandLine;
using System.Diagnostics;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin candidates count --spec "..." [--upper-bound-only]</c>: prints the instant upper bound and,
/// unless told not to, the exact count found by walking the space (nothing is stored).
/// </summary>
public static class CandidatesCountCommand
{
    public static Command Create()
    {
        var spec = CandidateGeneratorSetup.Spec();
        var upperBoundOnly = new Option<bool>("--upper-bound-only")
        {
            Description = "Print only the instant upper bound (the raw space size, capped by the limit) without walking the space.",
        };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("count",
            "Print 'upper bound: N' (instant: the product of the site and variable sizes, before the neutral/distinct/duplicate filters) " +
            "and 'candidates: N' (exact: walks the space without storing it). Exit codes: 0 done, 2 invalid spec or missing data.");
        command.Options.Add(spec);
        command.Options.Add(upperBoundOnly);
        command.Options.Add(dataDir);
        command.SetAction((result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var generator = CandidateGeneratorSetup.TryCreate(result.GetValue(spec)!, null, result.GetValue(dataDir), result.InvocationConfiguration.Error);
            if (generator is null)
                return Task.FromResult(CandidateGeneratorSetup.ExitBadInput);
            output.WriteLine($"upper bound: {generator.CountUpperBound()}");
            if (!result.GetValue(upperBoundOnly))
            {
                var watch = Stopwatch.StartNew();
                var count = generator.Count(cancellationToken);
                output.WriteLine($"candidates: {count}");
                result.InvocationConfiguration.Error.WriteLine($"Counted in {watch.Elapsed.TotalSeconds:F2} s.");
            }
            return Task.FromResult(CandidateGeneratorSetup.ExitOk);
        });
        return command;
    }
}
