using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin model mini</c>: make sure darwin-mini is in the model cache (training it if missing) and print its path.</summary>
public static class ModelMiniCommand
{
    public static Command Create()
    {
        var force = new Option<bool>("--force") { Description = "Train again even if the cached model exists (it is replaced only once the new one is complete)." };
        var home = new Option<string?>("--home") { Description = $"DarwinGrid's home folder (default: {DarwinGridHome.EnvironmentVariable}, or ~/.local/share/darwingrid)." };
        var threads = new Option<int>("--threads") { Description = "CPU threads for training (0 = all cores; 1 is faster on a heavily loaded machine).", DefaultValueFactory = _ => 0 };
        var dataDir = CommonOptions.DataDir();

        var command = new Command("mini", "Build darwin-mini in the model cache (HOME/models/darwin-mini.gguf) if it is missing, calibrate it on its validation records if it carries no calibration (see 'darwin model calibrate'), and print its path.");
        foreach (var option in new Option[] { force, home, threads, dataDir }) command.Options.Add(option);
        command.SetReportedAction(async (r, ct) =>
        {
            var stdout = r.InvocationConfiguration.Output;
            var bar = new ConsoleProgressBar(stdout, TimeSpan.FromSeconds(1), redrawInPlace: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out));
            var path = await CalibratedDarwinMini.EnsureAsync(r.GetValue(home), r.GetValue(dataDir), bar, new WriterLogger(stdout, bar.EndLine), stdout, ct,
                r.GetValue(force), r.GetValue(threads));
            bar.EndLine();
            stdout.WriteLine(path);
            return 0;
        });
        return command;
    }
}
