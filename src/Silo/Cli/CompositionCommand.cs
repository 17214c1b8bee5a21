using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

public static class CompositionCommand
{
    public static Command Create() => new("composition", "(being implemented)");
}
