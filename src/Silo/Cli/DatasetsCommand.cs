using System.CommandLine;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin datasets list</c>: the task catalog with the rows each task loads from the data folder.</summary>
public static class DatasetsCommand
{
    public static Command Create()
    {
        var datasets = new Command("datasets", "Inspect the property tasks and their data.");
        var list = new Command("list", "List every task with its kind, unit, and the rows loaded and skipped from the data folder.");
        var dataDir = CommonOptions.DataDir();
        list.Options.Add(dataDir);
        list.SetAction(result => List(result, result.GetValue(dataDir)));
        datasets.Subcommands.Add(list);
        return datasets;
    }

    private static int List(ParseResult result, string? dataDir)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        string root;
        try
        {
            root = SharedDataLocator.Locate(dataDir);
        }
        catch (DirectoryNotFoundException e)
        {
            error.WriteLine(e.Message);
            return 1;
        }

        var rows = new List<string[]>();
        var failures = 0;
        foreach (var task in TaskCatalog.All)
        {
            string loaded, skipped;
            try
            {
                var load = TaskDatasetLoader.Load(task, root);
                loaded = load.Records.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                skipped = load.Skipped.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
            {
                failures++;
                loaded = "error";
                skipped = "-";
                error.WriteLine($"{task.Name}: {e.Message}");
            }
            rows.Add([task.Name, task.Kind.ToString(), task.Unit.Length == 0 ? "-" : task.Unit, task.Input.ToString(), loaded, skipped]);
        }

        output.WriteLine($"Data folder: {root}");
        TextTable.Write(output, ["task", "kind", "unit", "input", "rows", "skipped"], rows, rightAligned: [4, 5]);
        return failures == 0 ? 0 : 1;
    }
}
