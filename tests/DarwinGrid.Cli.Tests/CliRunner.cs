using System.CommandLine;
using DarwinGrid.Silo.Cli;

namespace DarwinGrid.Cli.Tests;

/// <summary>Runs the real <c>darwin</c> command line in-process and captures its two output streams.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await DarwinCommandLine.Build().Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
