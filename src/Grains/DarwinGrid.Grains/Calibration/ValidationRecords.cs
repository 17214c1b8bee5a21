using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Runs;

namespace DarwinGrid.Grains.Calibration;

/// <summary>
/// The validation records of a trained model, rebuilt from its run manifest: the same preset, tasks,
/// fold and seed give the same partition the run made. The counts are checked against the
/// manifest's, so a calibration is never fitted on records the model may have trained on (and
/// never on a test fold).
/// </summary>
public static class ValidationRecords
{
    public static IReadOnlyList<(PropertyTask Task, IReadOnlyList<TaskRecord> Validation)> Of(TrainingRunManifest manifest, string dataRoot)
    {
        var data = manifest.Data;
        if (data.Stage != TrainingStages.MultiTask)
            throw new InvalidDataException($"The model's last stage is '{data.Stage}', not multitask: it has no property-task validation records to calibrate on.");
        var selection = new TrainingDataSelection(TrainingPresets.Get(manifest.Preset))
        {
            Tasks = [.. data.Tasks.Select(t => t.Task)],
            Fold = data.Fold is { } f ? new FoldSelection(f.Index, f.Count, f.Seed) : null,
            Seed = data.Seed,
        };
        var options = selection.MixtureOptions() with { ValidationFraction = data.ValidationFraction };
        var mixture = MultiTaskMixture.Load(dataRoot, options);
        foreach (var partition in mixture.Partitions)
        {
            var expected = data.Tasks.Single(t => t.Task == partition.Task.Name);
            if (expected.Validation != partition.Validation.Count || expected.Train != partition.Train.Count)
                throw new InvalidDataException(
                    $"{partition.Task.Name}: rebuilding the run's partition gave {partition.Validation.Count} validation and {partition.Train.Count} training records, " +
                    $"but the manifest says {expected.Validation} and {expected.Train}; the data or the recipe changed, so the validation records are not known.");
        }
        return [.. mixture.Partitions.Select(p => (p.Task, p.Validation))];
    }
}
