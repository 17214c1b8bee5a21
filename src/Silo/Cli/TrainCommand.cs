using System.CommandLine;
using DarwinGrid.Grains.Calibration;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin train</c>: DARWIN's training stages from a new model or a GGUF, here (<c>--out</c>, with
/// checkpoints and --resume) or with <c>--cluster</c> as a training run on a running cluster, which
/// registers the model version. The options and how they read: <see cref="TrainCommandOptions"/>.
/// </summary>
public static class TrainCommand
{
    private const int ExitCancelled = 130;

    public static Command Create()
    {
        var options = new TrainCommandOptions();
        var command = new Command("train", "Train a DarwinGrid model on CPU (self-test first): DARWIN's stages (qa, multitask) from a new model or a GGUF; writes each stage's F32 GGUF " +
                                           "(or LoRA adapter), a JSON manifest and the loss curve, with resumable checkpoints. With --cluster the run goes to a running cluster, which registers the model version.");
        foreach (var option in options.All)
            command.Options.Add(option);
        command.SetReportedAction((r, ct) => r.GetValue(options.Cluster) ? TrainOnClusterAsync(r, options, ct) : Task.FromResult(TrainHere(r, options, ct)));
        return command;
    }

    private static async Task<int> TrainOnClusterAsync(ParseResult r, TrainCommandOptions options, CancellationToken ct)
    {
        var (stdout, stderr) = (r.InvocationConfiguration.Output, r.InvocationConfiguration.Error);
        await using var grid = await GridConnection.OpenAsync(cluster: true, GridOptions.Overrides(r, options.Home, gatewayPort: options.GatewayPort), ct);
        if (r.GetValue(options.Cancel) is { Length: > 0 } cancelId)
            return await ClusterTraining.CancelAsync(grid.Client, cancelId, stdout, stderr, ct);
        var spec = options.JobSpec(r);
        return await ClusterTraining.SubmitAsync(grid.Client, r.GetValue(options.RunId) ?? ClusterTraining.NewRunId(), spec, stdout, stderr, ct);
    }

    private static int TrainHere(ParseResult r, TrainCommandOptions options, CancellationToken ct)
    {
        if (r.GetValue(options.Cancel) is not null || r.GetValue(options.RunId) is not null)
            return VerbFailures.Report(r, "--cancel and --run-id are for runs on a cluster; add --cluster.");
        if (r.GetValue(options.Output) is not { Length: > 0 } outputFolder)
            return VerbFailures.Report(r, "--out FOLDER is required (or --cluster to train on a running cluster).");
        var outputDirectory = Path.GetFullPath(outputFolder);
        var stdout = r.InvocationConfiguration.Output;
        try
        {
            var runOptions = options.RunOptions(r, outputDirectory);
            var bar = new ConsoleProgressBar(stdout, TimeSpan.FromSeconds(1), redrawInPlace: !Console.IsOutputRedirected && ReferenceEquals(stdout, Console.Out));
            var result = CalibratedTraining.Execute(runOptions, bar, new WriterLogger(stdout, bar.EndLine), ct);
            bar.EndLine();
            WriteSummary(stdout, result, outputDirectory);
            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return VerbFailures.Report(r, $"cancelled. The last checkpoint in {outputDirectory} is kept; continue with the same options and --resume.", ExitCancelled);
        }
    }

    private static void WriteSummary(TextWriter stdout, TrainingRunResult result, string outputDirectory)
    {
        var outcome = result.Manifest.Outcome;
        stdout.WriteLine($"Done: {outcome.Steps} steps in {TimeSpan.FromSeconds(outcome.ElapsedSeconds):hh\\:mm\\:ss}, {outcome.TokensPerSecond:F0} tokens/s; " +
                         $"validation loss {outcome.FinalValidationLoss:F4}, answer-token accuracy {outcome.FinalValidationAccuracy:P1} (best epoch {outcome.BestEpoch})" +
                         (outcome.StoppedEarly ? "; stopped early on a plateau" : "") + (outcome.StoppedByTimeLimit ? "; stopped by the time limit" : ""));
        foreach (var stage in result.Manifest.StageRuns.SkipLast(1))
            stdout.WriteLine($"Stage {stage.Stage}: {Path.Combine(outputDirectory, stage.OutputFile)}");
        stdout.WriteLine($"Model: {result.ModelPath}");
        stdout.WriteLine($"Manifest: {result.ManifestPath}");
        stdout.WriteLine($"Loss curve: {result.LossCurvePath}");
    }
}
