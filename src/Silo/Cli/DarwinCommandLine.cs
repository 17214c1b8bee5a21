using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

/// <summary>The <c>darwin</c> command: one sub-command group per file in this folder.</summary>
public static class DarwinCommandLine
{
    public static RootCommand Build()
    {
        var root = new RootCommand("DarwinGrid: screen candidate materials with DARWIN-style language models.");
        root.Subcommands.Add(DatasetsCommand.Create());
        root.Subcommands.Add(CompositionCommand.Create());
        root.Subcommands.Add(CandidatesCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());
        root.Subcommands.Add(DemoCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(PredictCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(WebCommand.Create());
        root.Subcommands.Add(ScreenCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(CampaignsCommand.Create());
        root.Subcommands.Add(LoopCommand.Create());
        root.Subcommands.Add(ClusterCommand.Create());
        return root;
    }
}
