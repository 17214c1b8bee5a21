using System.Collections.Immutable;
using System.Text.Json;
using DarwinGrid.Grains.Models;

namespace DarwinGrid.Web.Models;

/// <summary>A registered model version with what the page shows next to it.</summary>
/// <param name="DefaultFor">Tasks (or <see cref="IModelRegistryGrain.AnyTask"/>) this version is the default for.</param>
/// <param name="ServingKeys">Model grain keys that can serve it now (one per live device).</param>
public sealed record ModelVersionView(ModelVersionInfo Info, ImmutableArray<string> DefaultFor, ImmutableArray<string> ServingKeys)
{
    public bool IsDefault => DefaultFor.Contains(IModelRegistryGrain.AnyTask);

    /// <summary>The data manifest, indented for reading; null when the version has none.</summary>
    public string? ManifestPretty => Info.ManifestJson is { Length: > 0 } json ? Indent(json) : null;

    private static string Indent(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return json;
        }
    }
}

/// <summary>The model registry for the models page: versions, defaults, devices; set the default.</summary>
public sealed class ModelsModel(IGrainFactory grains)
{
    private IModelRegistryGrain Registry => grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);

    public ImmutableArray<ModelVersionView> Versions { get; private set; } = [];

    public ImmutableDictionary<string, string> Defaults { get; private set; } = ImmutableDictionary<string, string>.Empty;

    public ImmutableArray<DeviceInfo> Devices { get; private set; } = [];

    public bool Loaded { get; private set; }

    /// <summary>The version tasks without their own default use, or null.</summary>
    public string? DefaultVersion => Defaults.GetValueOrDefault(IModelRegistryGrain.AnyTask);

    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var versions = await Registry.ListAsync().WaitAsync(cancellationToken);
        Defaults = await Registry.GetDefaultsAsync().WaitAsync(cancellationToken);
        Devices = await Registry.ListDevicesAsync().WaitAsync(cancellationToken);
        var views = await Task.WhenAll(versions.Select(async version => new ModelVersionView(
            version,
            [.. Defaults.Where(d => d.Value == version.Id).Select(d => d.Key).OrderBy(k => k == IModelRegistryGrain.AnyTask ? "" : k, StringComparer.Ordinal)],
            await Registry.GetServingKeysAsync(version.Id).WaitAsync(cancellationToken))));
        Versions = [.. views.OrderByDescending(v => v.IsDefault).ThenByDescending(v => v.Info.RegisteredAt)];
        Loaded = true;
    }

    /// <summary>Makes <paramref name="versionId"/> the default for every task without its own default.</summary>
    public async Task SetDefaultAsync(string versionId, CancellationToken cancellationToken = default)
    {
        await Registry.SetDefaultAsync(IModelRegistryGrain.AnyTask, versionId).WaitAsync(cancellationToken);
        await RefreshAsync(cancellationToken);
    }
}
