using System.CommandLine;
using DarwinGrid.Inference.Models;
using DarwinGrid.Training.Lora;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// The one place a verb's failure becomes what the user reads: a line <c>darwin &lt;verb&gt;: message</c>
/// on standard error and an exit code. Exceptions that mean bad input or a missing or unusable file
/// are the user's to fix and get that one line; anything else is a defect and keeps its stack trace.
/// </summary>
public static class VerbFailures
{
    public const int ExitFailed = 1;
    public const int ExitBadInput = 2;

    /// <summary>Input and environment errors: a value out of range, an unknown task, a file that is missing, unreadable or of the wrong kind, a cluster that does not answer.</summary>
    public static int? InputErrorsFail(Exception e) => IsInputError(e) ? ExitFailed : null;

    /// <summary>Input and environment errors (<see cref="IsInputError"/>) end with <paramref name="exitCode"/>.</summary>
    public static Func<Exception, int?> InputErrorsExitWith(int exitCode) => e => IsInputError(e) ? exitCode : null;

    public static bool IsInputError(Exception e) =>
        e is ArgumentException or KeyNotFoundException or FormatException or IOException or InvalidDataException or UnauthorizedAccessException
            or NotSupportedException or InvalidOperationException or ModelFileException or LoraAdapterMismatchException;

    /// <summary>
    /// The verb's action with its failures reported: an exception <paramref name="exitCode"/> gives a
    /// code for (default: <see cref="InputErrorsFail"/>) prints one line and ends with that code.
    /// Cancellation is the verb's own to handle (each says what it keeps).
    /// </summary>
    public static void SetReportedAction(this Command command, Func<ParseResult, CancellationToken, Task<int>> action, Func<Exception, int?>? exitCode = null)
    {
        var codeOf = exitCode ?? InputErrorsFail;
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            try
            {
                return await action(r, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException && codeOf(e) is not null)
            {
                return Report(r, e.Message, codeOf(e)!.Value);
            }
        });
    }

    /// <inheritdoc cref="SetReportedAction(Command, Func{ParseResult, CancellationToken, Task{int}}, Func{Exception, int?}?)"/>
    public static void SetReportedAction(this Command command, Func<ParseResult, int> action, Func<Exception, int?>? exitCode = null) =>
        command.SetReportedAction((r, _) => Task.FromResult(action(r)), exitCode);

    /// <summary>Writes <c>darwin &lt;verb&gt;: message</c> to standard error and returns <paramref name="exitCode"/>.</summary>
    public static int Report(ParseResult r, string message, int exitCode = ExitFailed)
    {
        r.InvocationConfiguration.Error.WriteLine($"darwin {Verb(r)}: {message}");
        return exitCode;
    }

    /// <summary>The verb as typed after <c>darwin</c>: <c>train</c>, <c>model quantize</c>, <c>bench loop</c>.</summary>
    public static string Verb(ParseResult r)
    {
        var names = new List<string>();
        for (var result = r.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (result.Command is not RootCommand)
                names.Add(result.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }
}
