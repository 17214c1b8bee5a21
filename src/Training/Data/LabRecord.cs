using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>
/// One value a lab measured, for a run to learn from: the catalog task (a regression task such as
/// <c>matbench_expt_gap</c>), the composition as the lab wrote it, and the measured number. It
/// becomes a training example with the task's own DARWIN prompt and answer form (<c>" 1.51\n"</c>).
/// </summary>
public sealed record LabRecord(string Task, string Composition, double Value)
{
    /// <summary>The catalog task, after checking that a number for this composition can be written as its answer.</summary>
    public PropertyTask ValidatedTask()
    {
        var task = TaskCatalog.Get(Task);
        if (task.Kind != TaskKind.Regression)
            throw new ArgumentException($"Lab record '{Composition}': task '{task.Name}' is a classification task; lab records carry numbers (regression tasks only).");
        if (task.Input == InputField.DonorAcceptorInInstruction)
            throw new ArgumentException($"Lab record '{Composition}': task '{task.Name}' carries its input inside DARWIN's instructions; it cannot take a lab record.");
        if (string.IsNullOrWhiteSpace(Composition))
            throw new ArgumentException($"A lab record of task '{task.Name}' has an empty composition.");
        if (!double.IsFinite(Value))
            throw new ArgumentException($"Lab record '{Composition}' of task '{task.Name}': the value {Value} is not a finite number.");
        return task;
    }
}
