using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>
/// The identities by which a held-out record is recognised in other records: what the model reads
/// (the input; a composition by its canonical formula, so "Fe2O3" and "O3Fe2" are one) and where it
/// came from (data file and row, which links the same molecule across notations).
/// </summary>
internal static class RecordKeys
{
    public static IEnumerable<string> Of(PropertyTask task, TaskRecord record, LeakGuard guard)
    {
        var scope = guard == LeakGuard.WithinTask ? task.Name + "|" : "";
        yield return scope + "input|" + InputKey(task, record);
        yield return scope + "row|" + string.Join(",", task.Source.Files) + "#" + record.RowNumber;
    }

    private static string InputKey(PropertyTask task, TaskRecord record)
    {
        // opv puts the donor inside each record's instruction and leaves the input empty.
        if (record.Darwin is { } darwin && string.IsNullOrWhiteSpace(darwin.Input))
            return "instruction|" + darwin.Instruction.Trim();
        var input = record.Input.Trim();
        // Any input that reads as a composition is keyed by its formula, whatever the task calls it:
        // a perovskite absorber or material name ("CsSnBr3") is also a band-gap composition elsewhere.
        if (task.Input is not (InputField.Smiles or InputField.SolarCellSchema)
            && CompositionParser.TryParse(input, out var composition, out _))
            return "formula|" + composition.CanonicalFormula;
        return "text|" + input;
    }
}
