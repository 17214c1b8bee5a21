using System.CommandLine;
using System.Diagnostics;
using DarwinGrid.Domain.Candidates;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin candidates generate --spec "..." [--limit N] [--output FILE]</c>: streams the generated
/// compositions as a one-column CSV (<c>composition</c>, canonical formulas) and reports the count on
/// standard error, so standard output stays a clean CSV.
/// </summary>
public static class CandidatesGenerateCommand
{
    public static Command Create()
    {
        var spec = CandidateGeneratorSetup.Spec();
        var limit = new Option<long?>("--limit", "-n") { Description = "Stop after this many candidates (also caps a limit in the spec)." };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Where to write the CSV (default: standard output)." };
        var dataDir = CommonOptions.DataDir();
        var command = new Command("generate",
            "Write the candidates of a spec as CSV with one column, 'composition' (canonical reduced formula in Hill order), " +
            "streaming: any size works. The count goes to standard error. Exit codes: 0 done, 2 invalid spec, missing data or unwritable output.");
        command.Options.Add(spec);
        command.Options.Add(limit);
        command.Options.Add(output);
        command.Options.Add(dataDir);
        command.SetAction((result, cancellationToken) =>
        {
            var error = result.InvocationConfiguration.Error;
            var generator = CandidateGeneratorSetup.TryCreate(result.GetValue(spec)!, result.GetValue(limit), result.GetValue(dataDir), error);
            if (generator is null)
                return Task.FromResult(CandidateGeneratorSetup.ExitBadInput);
            return Task.FromResult(Write(generator, result.GetValue(output), result.InvocationConfiguration.Output, error, cancellationToken));
        });
        return command;
    }

    private static int Write(CandidateGenerator generator, FileInfo? output, TextWriter standardOutput, TextWriter error, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        long count;
        try
        {
            if (output is null)
            {
                count = WriteCsv(generator, standardOutput, cancellationToken);
            }
            else
            {
                // Written beside the target and moved into place, so a failure leaves no half file behind.
                var temporary = output.FullName + ".tmp";
                try
                {
                    using (var writer = new StreamWriter(temporary))
                        count = WriteCsv(generator, writer, cancellationToken);
                    File.Move(temporary, output.FullName, overwrite: true);
                }
                finally
                {
                    File.Delete(temporary);
                }
            }
        }
        catch (CandidateSpecException e)
        {
            error.WriteLine($"Invalid spec: {e.Message}");
            return CandidateGeneratorSetup.ExitBadInput;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot write '{output?.FullName}': {e.Message}");
            return CandidateGeneratorSetup.ExitBadInput;
        }
        error.WriteLine(
            $"{count} candidates (upper bound {generator.CountUpperBound()}, raw space {generator.RawSpaceSize()}) in {watch.Elapsed.TotalSeconds:F2} s.");
        return CandidateGeneratorSetup.ExitOk;
    }

    private static long WriteCsv(CandidateGenerator generator, TextWriter writer, CancellationToken cancellationToken)
    {
        // Canonical formulas hold only letters, digits and '.', so no field needs quoting.
        writer.WriteLine("composition");
        long count = 0;
        foreach (var candidate in generator.Generate(cancellationToken))
        {
            writer.WriteLine(candidate.CanonicalFormula);
            count++;
        }
        writer.Flush();
        return count;
    }
}
