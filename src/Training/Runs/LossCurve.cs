using System.Globalization;
using System.Text;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Training.Runs;

/// <summary>A progress event of one stage.</summary>
public sealed record LossCurveEntry(string Stage, TrainingProgress Progress);

/// <summary>
/// Records the trainer's progress events and writes them as CSV: one "step" row per optimizer step
/// (that step's loss and the epoch's running mean) and one "epoch" row per validation, each with its
/// stage (steps count from 1 in every stage). A resumed run starts from the saved entries.
/// </summary>
public sealed class LossCurve(IEnumerable<LossCurveEntry>? saved = null) : IProgress<TrainingProgress>
{
    public const string Header = "kind,epoch,step,learning_rate,step_loss,epoch_train_loss,validation_loss,validation_accuracy,tokens_per_second,elapsed_seconds,stage";

    private readonly List<LossCurveEntry> _entries = saved?.ToList() ?? [];

    /// <summary>The stage later events belong to.</summary>
    public string Stage { get; set; } = TrainingStages.MultiTask;

    public IReadOnlyList<LossCurveEntry> Entries => _entries;

    public IEnumerable<TrainingProgress> Events => _entries.Select(e => e.Progress);

    public void Report(TrainingProgress value) => _entries.Add(new LossCurveEntry(Stage, value));

    public string ToCsv()
    {
        var csv = new StringBuilder().AppendLine(Header);
        foreach (var (stage, e) in _entries)
        {
            csv.AppendLine(string.Join(',',
                e.Kind == TrainingProgressKind.Step ? "step" : "epoch",
                e.Epoch.ToString(CultureInfo.InvariantCulture),
                e.Step.ToString(CultureInfo.InvariantCulture),
                Number(e.LearningRate),
                Number(e.StepLoss),
                Number(e.TrainLoss),
                Number(e.ValidationLoss),
                Number(e.ValidationAccuracy),
                Number(e.TokensPerSecond, "F1"),
                Number(e.Elapsed.TotalSeconds, "F3"),
                stage));
        }
        return csv.ToString();
    }

    public void WriteTo(string path) => Checkpoints.AtomicFile.WriteAllText(path, ToCsv());

    private static string Number(double? value, string format = "G6") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";
}
