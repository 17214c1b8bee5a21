using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

public static class DemoCommand
{
    public static Command Create() => new("demo", "(being implemented)");
}
