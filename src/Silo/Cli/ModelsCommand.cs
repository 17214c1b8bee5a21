using System.CommandLine;
using System.Globalization;
using DarwinGrid.Grains.Models;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Training.Gguf;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin models</c>: the registered model versions; <c>darwin models add</c> registers one.</summary>
public static class ModelsCommand
{
    public static Command Create()
    {
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var command = new Command("models", "List the registered model versions (and add one with 'models add').");
        command.Options.Add(cluster);
        command.Options.Add(home);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            try
            {
                await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home), ct);
                var registry = grid.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
                var versions = await registry.ListAsync();
                var defaults = await registry.GetDefaultsAsync();
                if (versions.IsEmpty)
                {
                    r.InvocationConfiguration.Output.WriteLine("No model versions registered; add one with 'darwin models add --id ID --model FILE.gguf --default'.");
                    return 0;
                }
                TextTable.Write(r.InvocationConfiguration.Output, ["id", "format", "tasks", "default for", "registered", "model"],
                    [.. versions.Select(v => new[]
                    {
                        v.Id, v.PromptFormat, v.Tasks.IsDefaultOrEmpty ? "any" : string.Join(",", v.Tasks),
                        string.Join(",", defaults.Where(d => d.Value == v.Id).Select(d => d.Key).Order()),
                        v.RegisteredAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), v.BaseModelPath,
                    })]);
                return 0;
            }
            catch (InvalidOperationException e)
            {
                r.InvocationConfiguration.Error.WriteLine(e.Message);
                return 1;
            }
        });
        command.Subcommands.Add(Add());
        return command;
    }

    private static Command Add()
    {
        var id = new Option<string>("--id") { Description = "The version id (no '@', '/' or '|'); cached predictions are kept per id.", Required = true };
        var model = new Option<FileInfo>("--model") { Description = "The model GGUF.", Required = true };
        var format = new Option<string>("--prompt-format") { Description = "The prompt format it was trained with: darwin or compact.", DefaultValueFactory = _ => "darwin" };
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated tasks it answers (default: any)." };
        var makeDefault = new Option<bool>("--default") { Description = "Make it the default version for every task without a default of its own." };
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var command = new Command("add", "Register a model version from a GGUF file.");
        foreach (var option in new Option[] { id, model, format, tasks, makeDefault, cluster, home })
            command.Options.Add(option);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            var error = r.InvocationConfiguration.Error;
            var file = r.GetValue(model)!;
            if (!file.Exists)
            {
                error.WriteLine($"Model file '{file.FullName}' does not exist.");
                return 2;
            }
            try
            {
                using (GgufFile.Open(file.FullName)) { }
            }
            catch (Exception e) when (e is GgufFormatException or IOException)
            {
                error.WriteLine($"'{file.FullName}' is not a GGUF model: {e.Message}");
                return 2;
            }
            var taskList = r.GetValue(tasks)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            var version = new ModelVersionInfo(r.GetValue(id)!, file.FullName, [], r.GetValue(format)!, [.. taskList], DateTimeOffset.UtcNow);
            try
            {
                await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home), ct);
                var registry = grid.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
                await registry.RegisterAsync(version);
                if (r.GetValue(makeDefault))
                    await registry.SetDefaultAsync(IModelRegistryGrain.AnyTask, version.Id);
                r.InvocationConfiguration.Output.WriteLine($"Registered model version '{version.Id}' ({file.FullName}, {version.PromptFormat}){(r.GetValue(makeDefault) ? " as the default" : "")}.");
                return 0;
            }
            catch (ArgumentException e)
            {
                error.WriteLine(e.Message);
                return 2;
            }
            catch (InvalidOperationException e)
            {
                error.WriteLine(e.Message);
                return 1;
            }
        });
        return command;
    }
}
