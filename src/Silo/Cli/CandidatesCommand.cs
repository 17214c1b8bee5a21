using System.CommandLine;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin candidates ...</c>: enumerate candidate compositions from a template spec.</summary>
public static class CandidatesCommand
{
    public static Command Create()
    {
        var command = new Command("candidates",
            "Generate candidate compositions from a template spec such as \"{A}2{B}{X}4; A=alkali; B=Ge,Sn; X=S,Se,Te; neutral\".");
        command.Subcommands.Add(CandidatesGenerateCommand.Create());
        command.Subcommands.Add(CandidatesCountCommand.Create());
        return command;
    }
}
