using System.CommandLine;
using DarwinGrid.Domain.Compositions;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin composition normalize --input FILE.csv [--column composition] [--output OUT.csv] [--strict]</c>:
/// writes one <c>input,canonical,elements</c> row per input row (see <see cref="CompositionCsvNormalizer"/>),
/// reports rows that do not parse on standard error, and streams, so files of any size work.
/// </summary>
public static class CompositionNormalizeCommand
{
    public const int ExitOk = 0;
    public const int ExitRowsFailed = 1;
    public const int ExitBadInput = 2;

    public static Command Create()
    {
        var input = new Option<FileInfo>("--input", "-i")
        {
            Description = "CSV file with a header row and a composition column.",
            Required = true,
        };
        var column = new Option<string>("--column", "-c")
        {
            Description = "Name of the composition column (case-sensitive).",
            DefaultValueFactory = _ => "composition",
        };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Where to write the result CSV (default: standard output).",
        };
        var strict = new Option<bool>("--strict")
        {
            Description = "Exit with code 1 when any row fails to parse (default: report failures, exit 0).",
        };

        var command = new Command("normalize",
            "Parse every composition of a CSV column and write 'input,canonical,elements' rows: 'canonical' is the " +
            "canonical reduced formula in Hill order (empty when the row does not parse), 'elements' the atom fractions " +
            "as Symbol:fraction joined by ';', to 6 significant digits (e.g. Fe:0.4;O:0.6). Rows that fail are listed on standard error with " +
            "their line number and reason. Exit codes: 0 done, 1 rows failed with --strict, 2 missing file or column, or a file that cannot be read or written.");
        command.Options.Add(input);
        command.Options.Add(column);
        command.Options.Add(output);
        command.Options.Add(strict);
        command.SetAction((parseResult, cancellationToken) => Task.FromResult(new Run(
            parseResult.GetValue(input)!,
            parseResult.GetValue(column)!,
            parseResult.GetValue(output),
            parseResult.GetValue(strict),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error).Execute(cancellationToken)));
        return command;
    }

    /// <summary>One invocation: the arguments and where to write.</summary>
    private sealed record Run(FileInfo Input, string Column, FileInfo? Output, bool Strict, TextWriter StandardOutput, TextWriter StandardError)
    {
        public int Execute(CancellationToken cancellationToken)
        {
            if (!Input.Exists)
            {
                StandardError.WriteLine($"Input file '{Input.FullName}' does not exist.");
                return ExitBadInput;
            }

            var normalizer = new CompositionCsvNormalizer(Column);
            CompositionNormalizationSummary summary;
            try
            {
                using var reader = new StreamReader(Input.FullName, detectEncodingFromByteOrderMarks: true);
                summary = Output is null
                    ? Normalize(normalizer, reader, StandardOutput, cancellationToken)
                    : NormalizeToFile(normalizer, reader, Output, cancellationToken);
            }
            catch (CsvColumnNotFoundException e)
            {
                StandardError.WriteLine($"{Input.Name}: {e.Message}");
                return ExitBadInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                StandardError.WriteLine($"Cannot normalise '{Input.FullName}'{(Output is null ? "" : $" into '{Output.FullName}'")}: {e.Message}");
                return ExitBadInput;
            }

            StandardError.WriteLine(
                $"{Input.Name}: {summary.Rows} rows, {summary.Parsed} parsed, {summary.Failed} failed.");
            return Strict && summary.Failed > 0 ? ExitRowsFailed : ExitOk;
        }

        private CompositionNormalizationSummary NormalizeToFile(
            CompositionCsvNormalizer normalizer, TextReader reader, FileInfo output, CancellationToken cancellationToken)
        {
            // Written beside the target and moved into place, so a missing column leaves no half file behind.
            var temporary = output.FullName + ".tmp";
            try
            {
                CompositionNormalizationSummary summary;
                using (var writer = new StreamWriter(temporary))
                    summary = Normalize(normalizer, reader, writer, cancellationToken);
                File.Move(temporary, output.FullName, overwrite: true);
                return summary;
            }
            finally
            {
                File.Delete(temporary);
            }
        }

        private CompositionNormalizationSummary Normalize(
            CompositionCsvNormalizer normalizer, TextReader reader, TextWriter writer, CancellationToken cancellationToken) =>
            normalizer.Normalize(reader, writer,
                failure => StandardError.WriteLine($"{Input.Name}: {failure}"), cancellationToken);
    }
}
