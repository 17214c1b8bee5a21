namespace DarwinGrid.Training.Data;

/// <summary>How far held-out records (fold test part, validation) are kept out of training.</summary>
public enum LeakGuard
{
    /// <summary>
    /// A training record of any selected task is dropped when its input (or its data row) is held
    /// out in any selected task. Needed because tasks share inputs: every matbench_expt_gap
    /// composition is also in matbench_is_metal (a band gap of 0 means metal), the four chembl tasks
    /// are the same molecules in four notations, the thermoelectric/magnetic/polar tasks share rows.
    /// </summary>
    AcrossTasks,

    /// <summary>Only the task's own held-out inputs are kept out (optimistic when tasks share inputs).</summary>
    WithinTask,
}
