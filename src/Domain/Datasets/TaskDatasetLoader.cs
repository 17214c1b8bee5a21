using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Datasets;

/// <summary>Loads any catalog task's records from the data folder.</summary>
public static class TaskDatasetLoader
{
    public static DatasetLoad<TaskRecord> Load(PropertyTask task, string dataRoot) => task.Source switch
    {
        CsvTaskSource csv => CsvTaskLoader.Load(task, csv, dataRoot),
        InstructionJsonTaskSource json => LoadInstructionJson(task, json, dataRoot),
        _ => throw new NotSupportedException($"Task '{task.Name}': unsupported source {task.Source.GetType().Name}."),
    };

    /// <summary>Targets come from DARWIN's outputs, read with the task's own answer parser.</summary>
    private static DatasetLoad<TaskRecord> LoadInstructionJson(PropertyTask task, InstructionJsonTaskSource source, string dataRoot)
    {
        var records = new List<TaskRecord>();
        var skipped = new List<SkippedRow>();
        var rowNumber = 0;
        foreach (var file in source.JsonFiles)
        {
            foreach (var darwin in InstructionJsonReader.Read(DataFiles.Resolve(dataRoot, file)))
            {
                rowNumber++;
                var parsed = task.Answer.Parse(darwin.Output);
                if (parsed.Value is null)
                {
                    skipped.Add(new SkippedRow(file, darwin.Index + 1, $"output not readable: {parsed.Error}"));
                    continue;
                }
                records.Add(new TaskRecord(rowNumber, darwin.Input.Trim(), parsed.Value) { Darwin = darwin });
            }
        }
        return new DatasetLoad<TaskRecord>(records, skipped);
    }
}
