using System.CommandLine;
using System.Globalization;
using DarwinGrid.Grains.Models;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.Inference.Models;

namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin models [list]</c>: the registered model versions; <c>add</c> registers one, <c>show</c>
/// prints one with its metrics and manifest summary, <c>set-default</c> makes one the default per
/// task, <c>remove</c> unregisters one (refused while a campaign or a default uses it).
/// Version management lives in ModelsCommand.Manage.cs.
/// </summary>
public static partial class ModelsCommand
{
    public static Command Create()
    {
        var command = List("models", ModelVerbs.ModelsDescription);
        command.Subcommands.Add(List("list", "List the registered model versions."));
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(SetDefault());
        command.Subcommands.Add(Remove());
        return command;
    }

    private static Command List(string name, string description)
    {
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var gatewayPort = GridOptions.GatewayPort();
        var command = new Command(name, description);
        command.Options.Add(cluster);
        command.Options.Add(home);
        command.Options.Add(gatewayPort);
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            try
            {
                await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home, gatewayPort: gatewayPort), ct);
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
        var gatewayPort = GridOptions.GatewayPort();
        var command = new Command("add", "Register a model version from a GGUF file.");
        foreach (var option in new Option[] { id, model, format, tasks, makeDefault, cluster, home, gatewayPort })
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
                // One load through llama.cpp: a file it cannot load, or another architecture, never reaches the registry.
                ModelFileCheck.Verify(file.FullName);
            }
            catch (ModelFileException e)
            {
                error.WriteLine($"darwin models add: {e.Message}");
                return 2;
            }
            var taskList = r.GetValue(tasks)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? [];
            var version = new ModelVersionInfo(r.GetValue(id)!, file.FullName, [], r.GetValue(format)!, [.. taskList], DateTimeOffset.UtcNow);
            try
            {
                await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home, gatewayPort: gatewayPort), ct);
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
