using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin bench</c>: one sub-command per file (<c>Bench*Command.cs</c>).</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Measure throughput of the platform's parts.");
        bench.Subcommands.Add(BenchEngineCommand.Create());
        bench.Subcommands.Add(BenchTrainCommand.Create());
        bench.Subcommands.Add(BenchScreenCommand.Create());
        bench.Subcommands.Add(BenchAllCommand.Create());
        bench.Subcommands.Add(BenchLora7bCommand.Create());
        bench.Subcommands.Add(BenchLoopCommand.Create());
        return bench;
    }
}
