using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

public static class DatasetsCommand
{
    public static Command Create() => new("datasets", "(being implemented)");
}
