using System.Globalization;
using System.Text;
using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Training.Runs;

/// <summary>
/// Records the trainer's progress events and writes them as CSV: one "step" row per optimizer step
/// (that step's loss and the epoch's running mean) and one "epoch" row per validation.
/// </summary>
public sealed class LossCurve : IProgress<TrainingProgress>
{
    public const string Header = "kind,epoch,step,learning_rate,step_loss,epoch_train_loss,validation_loss,validation_accuracy,tokens_per_second,elapsed_seconds";

    private readonly List<TrainingProgress> _events = [];

    public IReadOnlyList<TrainingProgress> Events => _events;

    public void Report(TrainingProgress value) => _events.Add(value);

    public string ToCsv()
    {
        var csv = new StringBuilder().AppendLine(Header);
        foreach (var e in _events)
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
                Number(e.Elapsed.TotalSeconds, "F3")));
        }
        return csv.ToString();
    }

    public void WriteTo(string path) => File.WriteAllText(path, ToCsv());

    private static string Number(double? value, string format = "G6") =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "";
}
