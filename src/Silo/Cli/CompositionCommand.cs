using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin composition ...</c>: work with chemical compositions.</summary>
public static class CompositionCommand
{
    public static Command Create()
    {
        var command = new Command("composition", "Parse and normalise chemical compositions.");
        command.Subcommands.Add(CompositionNormalizeCommand.Create());
        return command;
    }
}
