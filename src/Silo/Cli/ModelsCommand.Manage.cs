using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using DarwinGrid.Grains.Models;
using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin models show|set-default|remove VERSION</c>.</summary>
public static partial class ModelsCommand
{
    private static Command Show() => VersionCommand("show", "Print a model version: files, tasks, defaults, manifest summary and held-out metrics.", null,
        async (registry, id, _, output) =>
        {
            var version = await registry.GetAsync(id) ?? throw new ArgumentException($"Model version '{id}' is not registered.");
            var defaults = (await registry.GetDefaultsAsync()).Where(d => d.Value == id).Select(d => d.Key).Order(StringComparer.Ordinal).ToList();
            void Field(string label, string? value) => output.WriteLine($"{label,-13}{(string.IsNullOrEmpty(value) ? "-" : value)}");
            Field("id", version.Id);
            Field("model", version.BaseModelPath);
            Field("adapters", string.Join(", ", (version.Adapters.IsDefault ? [] : version.Adapters).Select(a => $"{a.Path} x{a.Scale.ToString(CultureInfo.InvariantCulture)}")));
            Field("prompt", version.PromptFormat);
            Field("tasks", version.Tasks.IsDefaultOrEmpty ? "any" : string.Join(", ", version.Tasks));
            Field("parent", version.ParentVersion);
            Field("registered", version.RegisteredAt.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture));
            Field("default for", string.Join(", ", defaults));
            Field("description", version.Description);
            Field("manifest", ManifestSummary(version.ManifestJson));
            if (version.Metrics is { Count: > 0 } metrics)
            {
                output.WriteLine();
                output.WriteLine("Held-out metrics (fold 0):");
                TextTable.Write(output, ["task", "metric", "value"],
                    [.. metrics.OrderBy(m => m.Key, StringComparer.Ordinal).SelectMany(task => task.Value.OrderBy(m => m.Key, StringComparer.Ordinal)
                        .Select(m => new[] { task.Key, m.Key, m.Value.ToString(m.Value == Math.Floor(m.Value) ? "F0" : "F4", CultureInfo.InvariantCulture) }))]);
            }
            return 0;
        });

    private static Command SetDefault()
    {
        var tasks = new Option<string?>("--tasks") { Description = "Comma-separated tasks (aliases allowed) or '*' for every task; default: the tasks the version answers ('*' if any)." };
        return VersionCommand("set-default", "Make a model version the default for tasks; campaigns started later use it, running ones keep theirs.", tasks,
            async (registry, id, r, output) =>
            {
                var version = await registry.GetAsync(id) ?? throw new ArgumentException($"Model version '{id}' is not registered.");
                IReadOnlyList<string> targets = r.GetValue(tasks)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } given
                    ? given
                    : version.Tasks.IsDefaultOrEmpty ? [IModelRegistryGrain.AnyTask] : [.. version.Tasks];
                foreach (var task in targets)
                    await registry.SetDefaultAsync(task, id);
                output.WriteLine($"Model version '{id}' is now the default for {string.Join(", ", targets)}.");
                return 0;
            });
    }

    private static Command Remove() => VersionCommand("remove", "Unregister a model version (refused while a campaign pins it or it is a default; its files stay).", null,
        async (registry, id, _, output) =>
        {
            await registry.RemoveAsync(id);
            output.WriteLine($"Removed model version '{id}'.");
            return 0;
        });

    /// <summary>A verb on one version: the argument, the grid options, and the errors said plainly (2: bad input, 1: refused or no grid).</summary>
    private static Command VersionCommand(string name, string description, Option? extra,
        Func<IModelRegistryGrain, string, ParseResult, TextWriter, Task<int>> action)
    {
        var version = new Argument<string>("version") { Description = "The model version id." };
        var cluster = GridOptions.Cluster();
        var home = GridOptions.Home();
        var gatewayPort = GridOptions.GatewayPort();
        var command = new Command(name, description);
        command.Arguments.Add(version);
        foreach (var option in new[] { extra, cluster, home, gatewayPort }.OfType<Option>())
            command.Options.Add(option);
        // A refused request (unknown version, bad value) is the caller's: 2; the registry's state or no cluster: 1.
        command.SetReportedAction(async (r, ct) =>
        {
            await using var grid = await GridConnection.OpenAsync(r.GetValue(cluster), GridOptions.Overrides(r, home, gatewayPort: gatewayPort), ct);
            var registry = grid.Client.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
            return await action(registry, r.GetValue(version)!, r, r.InvocationConfiguration.Output);
        }, e => e switch
        {
            ArgumentException => VerbFailures.ExitBadInput,
            InvalidOperationException => VerbFailures.ExitFailed,
            _ => null,
        });
        return command;
    }

    private static string? ManifestSummary(string? json)
    {
        if (json is null)
            return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            string? Text(params string[] path)
            {
                var element = root;
                foreach (var step in path)
                {
                    if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(step, out element))
                        return null;
                }
                return element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
            }
            var files = root.TryGetProperty("data", out var data) && data.TryGetProperty("files", out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
            var sha = Text("modelSha256");
            var stages = root.TryGetProperty("stages", out var stageList) && stageList.ValueKind == JsonValueKind.Array
                ? string.Join("+", stageList.EnumerateArray().Select(s => s.ToString()))
                : "?";
            return $"preset {Text("preset") ?? "?"}, stages {stages}, {Text("outcome", "steps") ?? "?"} steps, seed {Text("seed") ?? "?"}, " +
                   $"{files} data files by SHA-256, model sha256 {(sha is { Length: > 12 } ? sha[..12] + "..." : sha ?? "?")}";
        }
        catch (JsonException e)
        {
            return $"(unreadable: {e.Message})";
        }
    }
}
