using System.Text.Json;
using System.Text.Json.Serialization;

namespace DarwinGrid.Inference.Calibration;

/// <summary>
/// A model's calibration, fitted on its validation records and stored in the model file's GGUF
/// metadata under <see cref="MetadataKey"/> (compact JSON), so every silo serving the file serves
/// the same calibration. Regression: a conformalised central interval per task; classification: a
/// temperature per task.
/// </summary>
public sealed record ModelCalibration
{
    public const string MetadataKey = "darwingrid.calibration";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public int SchemaVersion { get; init; } = 1;

    /// <summary>Which records it was fitted on (e.g. "validation records of the training run, fold 0 excluded").</summary>
    public string FittedOn { get; init; } = "";

    /// <summary>
    /// How many views of each record the predictor pooled when it was fitted (<see cref="Prediction.PredictionOptions.Views"/>;
    /// calibrations written before views existed read as 1): pooled answers are sharper, so the
    /// intervals and temperatures hold their level only for the same number of views.
    /// </summary>
    public int Views { get; init; } = 1;

    /// <summary>A one-line warning when predictions pool another number of views than the calibration was fitted with; null when they match.</summary>
    public string? ViewsMismatch(int views) => views == Views ? null
        : $"Warning: the model's calibration was fitted with {Views} view{(Views == 1 ? "" : "s")} per candidate, these predictions pool {views}: " +
          $"its intervals and probabilities may not hold their level (calibrate again with 'darwin model calibrate --views {views}').";

    public IReadOnlyDictionary<string, IntervalCalibration> Intervals { get; init; } = new Dictionary<string, IntervalCalibration>();

    public IReadOnlyDictionary<string, TemperatureCalibration> Temperatures { get; init; } = new Dictionary<string, TemperatureCalibration>();

    public IntervalCalibration? IntervalFor(string task) => Intervals.TryGetValue(task, out var c) ? c : null;

    public TemperatureCalibration? TemperatureFor(string task) => Temperatures.TryGetValue(task, out var c) ? c : null;

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Reads the stored JSON; a file whose calibration cannot be read is refused with the reason.</summary>
    public static ModelCalibration FromJson(string json)
    {
        try
        {
            var calibration = JsonSerializer.Deserialize<ModelCalibration>(json, Json) ?? throw new JsonException("it is null");
            if (calibration.SchemaVersion != 1) throw new JsonException($"schema version {calibration.SchemaVersion} is not 1");
            return calibration;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The model's '{MetadataKey}' metadata is not a readable calibration: {e.Message}", e);
        }
    }
}

/// <summary>
/// Conformalised quantiles for one regression task, fitted on <see cref="Records"/> validation
/// answers so that the interval holds the true value with probability at least <see cref="Level"/>
/// on exchangeable data. What the fitter writes now: <see cref="Factor"/> set, the normalised score
/// of <see cref="ScaledConformal"/> (median ± factor · (half-width of the smooth
/// <see cref="ScaleLevel"/> interval + <see cref="Floor"/>)). Files calibrated earlier carry either
/// <see cref="SampleLevel"/> (nested split conformal chose that level of the distribution's own
/// central interval, see <see cref="SplitConformal.SampleLevel"/>) or only <see cref="Margin"/>
/// (the central interval at <see cref="Level"/> widened on both sides by it); both still apply.
/// </summary>
public sealed record IntervalCalibration(double Level, double Margin, int Records, double RawCoverage)
{
    /// <summary>The level of the distribution's central interval that covers <see cref="Level"/> on validation records; null: <see cref="Level"/> plus the margin.</summary>
    public double? SampleLevel { get; init; }

    /// <summary>The level of the smooth central interval whose half-widths scale the normalised score.</summary>
    public double? ScaleLevel { get; init; }

    /// <summary>Added to each half-width (task units), so a model sure of one value still gets an interval.</summary>
    public double? Floor { get; init; }

    /// <summary>The conformal factor of the normalised score (below 1 shrinks the scaled interval); null: an earlier calibration.</summary>
    public double? Factor { get; init; }

    /// <summary>Set when the task had too few validation records for its own factor: how many records of all the model's regression tasks it was fitted on.</summary>
    public int? PooledRecords { get; init; }

    /// <summary>0 when every validation record's value was non-negative: the interval's lower end is cut there (it can only lose values the task never has).</summary>
    public double? LowerBound { get; init; }

    /// <summary>Mean absolute error of the distribution's median on the validation records: how far off the model was where it was calibrated.</summary>
    public double? MedianAbsoluteError { get; init; }

    /// <summary>The calibrated interval; never excludes the point estimate.</summary>
    public (double Low, double High) Apply(Domain.Predictions.NumericDistribution distribution, double estimate)
    {
        var (low, high) = Factor is { } factor
            ? ScaledConformal.Interval(distribution, ScaleLevel ?? 0.5, Floor ?? 0, factor)
            : distribution.CentralInterval(SampleLevel ?? Level) is var (l, h) ? (l - Margin, h + Margin) : default;
        if (LowerBound is { } bound) (low, high) = (Math.Max(low, bound), Math.Max(high, bound));
        return (Math.Min(low, estimate), Math.Max(high, estimate));
    }
}

/// <summary>Temperature scaling of one classification task's label probabilities (T &gt; 1 softens, T &lt; 1 sharpens).</summary>
public sealed record TemperatureCalibration(double Temperature, int Records, double LogLossBefore, double LogLossAfter)
{
    public IReadOnlyList<double> Apply(IReadOnlyList<double> probabilities) => TemperatureScaling.Apply(probabilities, Temperature);
}
