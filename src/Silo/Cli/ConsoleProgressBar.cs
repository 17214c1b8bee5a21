using DarwinGrid.Training.Optimization;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// Shows training progress as one bar line (step, loss, tokens/s, ETA) redrawn in place at most
/// every <paramref name="interval"/>, and a full line per epoch with the validation figures.
/// Reports arrive on the training thread, in order.
/// </summary>
public sealed class ConsoleProgressBar(TextWriter output, TimeSpan interval, bool redrawInPlace) : IProgress<TrainingProgress>
{
    private const int Width = 30;
    private TimeSpan? _lastDraw;
    private bool _lineOpen;

    public void Report(TrainingProgress value)
    {
        if (value.Kind == TrainingProgressKind.Epoch)
        {
            EndLine();
            output.WriteLine($"epoch {value.Epoch}: train loss {value.TrainLoss:F4}, validation loss {Format(value.ValidationLoss, "F4")}, " +
                             $"validation answer-token accuracy {Format(value.ValidationAccuracy, "P1")} (step {value.Step}/{value.TotalSteps}, {value.Elapsed:hh\\:mm\\:ss})");
            return;
        }
        if (value.Step != value.TotalSteps && _lastDraw is { } last && value.Elapsed - last < interval) return;
        _lastDraw = value.Elapsed;
        var line = Line(value);
        if (redrawInPlace)
        {
            output.Write("\r" + line);
            _lineOpen = true;
        }
        else
        {
            output.WriteLine(line);
        }
        output.Flush();
    }

    public static string Line(TrainingProgress p)
    {
        var fraction = p.TotalSteps > 0 ? Math.Clamp((double)p.Step / p.TotalSteps, 0, 1) : 0;
        var filled = (int)Math.Round(fraction * Width);
        return $"[{new string('#', filled)}{new string('-', Width - filled)}] step {p.Step}/{p.TotalSteps} epoch {p.Epoch} " +
               $"loss {p.StepLoss ?? p.TrainLoss:F3} (epoch mean {p.TrainLoss:F3}) {p.TokensPerSecond:F0} tokens/s " +
               $"elapsed {p.Elapsed:hh\\:mm\\:ss} ETA {p.EstimatedRemaining:hh\\:mm\\:ss}";
    }

    /// <summary>Closes an in-place line so later output starts on its own line.</summary>
    public void EndLine()
    {
        if (!_lineOpen) return;
        output.WriteLine();
        _lineOpen = false;
    }

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, System.Globalization.CultureInfo.InvariantCulture) : "-";
}
