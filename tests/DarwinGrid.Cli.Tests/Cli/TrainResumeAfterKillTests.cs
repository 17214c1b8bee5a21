using System.Diagnostics;
using System.Globalization;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Cli.Tests;

/// <summary>
/// A real <c>darwin train</c> child process killed with SIGKILL mid-run, then resumed: the loss curve
/// and the model are those of a run that was never interrupted.
/// </summary>
public sealed class TrainResumeAfterKillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-train-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string[] Arguments(string output) =>
    [
        "train", "--base", "new:tiny", "--stages", "qa,multitask", "--epochs", "4", "--max-steps", "12", "--checkpoint-every", "1",
        "--threads", "1", "--fold", "0", "--out", output, "--data-dir", SharedData.Root,
    ];

    [Fact]
    public async Task ARunKilledWithSigkillResumesOnTheSameLossCurveToTheSameModel()
    {
        var whole = Path.Combine(_dir, "whole");
        var (code, output, error) = await CliRunner.Run(Arguments(whole));
        Assert.True(code == 0, error + output);

        var killed = Path.Combine(_dir, "killed");
        var checkpoint = TrainingRun.CheckpointPath(killed, "darwin-tiny");
        var darwin = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "darwin.exe" : "darwin");
        var start = new ProcessStartInfo(darwin) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Arguments(killed)) start.ArgumentList.Add(argument);
        using (var child = Process.Start(start)!)
        {
            child.OutputDataReceived += (_, _) => { };
            child.ErrorDataReceived += (_, _) => { };
            child.BeginOutputReadLine();
            child.BeginErrorReadLine();
            // Kill as soon as the run has saved a few steps of its first stage: well before its end.
            var deadline = Stopwatch.StartNew();
            while (!child.HasExited && !SavedAtLeast(checkpoint, 3) && deadline.Elapsed < TimeSpan.FromMinutes(3)) await Task.Delay(10);
            Assert.False(child.HasExited, "The run ended before it could be killed.");
            child.Kill();   // SIGKILL on Unix: no handler, no cleanup.
            await child.WaitForExitAsync();
            Assert.Equal(OperatingSystem.IsWindows() ? -1 : 137, child.ExitCode);
        }
        Assert.False(File.Exists(TrainingRun.ModelPath(killed, "darwin-tiny")));
        var savedAt = RunCheckpoint.Load(checkpoint).Header;

        (code, output, error) = await CliRunner.Run([.. Arguments(killed), "--resume"]);
        Assert.True(code == 0, error + output);

        var expected = Curve(TrainingRun.LossCurvePath(whole, "darwin-tiny"));
        var actual = Curve(TrainingRun.LossCurvePath(killed, "darwin-tiny"));
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key);
            Assert.Equal(expected[i].Values.Length, actual[i].Values.Length);
            for (var j = 0; j < expected[i].Values.Length; j++)
                Assert.True(double.IsNaN(expected[i].Values[j]) ? double.IsNaN(actual[i].Values[j]) : Math.Abs(expected[i].Values[j] - actual[i].Values[j]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i].Values[j])),
                    $"row {i + 1} ({expected[i].Key}) column {j}: {expected[i].Values[j]} uninterrupted, {actual[i].Values[j]} resumed");
        }
        var manifest = TrainingRunManifest.ReadFrom(TrainingRun.ManifestPath(killed, "darwin-tiny"));
        Assert.Equal(TrainingRunManifest.ReadFrom(TrainingRun.ManifestPath(whole, "darwin-tiny")).ModelSha256, manifest.ModelSha256);
        var resumedStage = manifest.StageRuns.Single(s => s.Stage == savedAt.Stage);
        Assert.Equal([savedAt.Cursor?.Step ?? 0], resumedStage.ResumedAtSteps);
    }

    private static bool SavedAtLeast(string checkpoint, int steps)
    {
        if (!File.Exists(checkpoint)) return false;
        try
        {
            var header = RunCheckpoint.Load(checkpoint).Header;
            return header.StageCompleted || header.Cursor!.Step >= steps;
        }
        catch (IOException)
        {
            return false;   // replaced while being read: the next poll reads the new one
        }
    }

    /// <summary>Per row: kind, epoch, step and stage as the key; learning rate, step loss, epoch loss, validation loss and accuracy as values (NaN where a row has none; timings differ).</summary>
    private static (string Key, double[] Values)[] Curve(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => l.Split(','))
            .Select(r => ($"{r[0]} {r[1]} {r[2]} {r[^1]}", r[3..8].Select(v => v.Length == 0 ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture)).ToArray()))
            .ToArray();
}
