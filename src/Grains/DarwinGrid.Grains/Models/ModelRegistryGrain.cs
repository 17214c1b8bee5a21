using System.Collections.Immutable;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using DarwinGrid.Grains.GrainSupport;

namespace DarwinGrid.Grains.Models;

/// <summary>
/// Model versions, defaults per task, which campaigns pin which version, and the devices silos
/// offer. Serving keys are computed from the devices of silos that are active right now, so a
/// killed silo's devices drop out as soon as membership declares it dead.
/// </summary>
public sealed class ModelRegistryGrain(
    [PersistentState("registry")] IPersistentState<ModelRegistryState> state,
    IClusterMembershipService membership,
    ILogger<ModelRegistryGrain> logger) : Grain, IModelRegistryGrain
{
    private StateWriter? _writer;

    private static readonly char[] KeyCharacters = ['@', '/', '|'];

    private ModelRegistryState S => state.State;

    public async Task RegisterAsync(ModelVersionInfo version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var normalized = Validate(version);
        if (S.Versions.TryGetValue(normalized.Id, out var existing))
        {
            if (SameModel(existing, normalized))
                return;
            throw new ArgumentException(
                $"Model version '{normalized.Id}' is already registered with model '{existing.BaseModelPath}' ({existing.PromptFormat}); " +
                "cached predictions are keyed by version, so a different model needs a new version id.");
        }
        S.Versions[normalized.Id] = normalized;
        await WriteAsync();
        logger.LogInformation("Registered model version {Version} ({Path}, {Format})", normalized.Id, normalized.BaseModelPath, normalized.PromptFormat);
    }

    public Task<ImmutableArray<ModelVersionInfo>> ListAsync() =>
        Task.FromResult(S.Versions.Values.OrderBy(v => v.RegisteredAt).ThenBy(v => v.Id, StringComparer.Ordinal).ToImmutableArray());

    public Task<ModelVersionInfo?> GetAsync(string versionId) =>
        Task.FromResult(S.Versions.GetValueOrDefault(versionId));

    public async Task RemoveAsync(string versionId)
    {
        if (!S.Versions.ContainsKey(versionId))
            throw new ArgumentException($"Model version '{versionId}' is not registered.");
        if (S.Pins.TryGetValue(versionId, out var campaigns) && campaigns.Count > 0)
            throw new InvalidOperationException($"Model version '{versionId}' is used by campaign(s) {string.Join(", ", campaigns)}.");
        var defaults = S.Defaults.Where(d => d.Value == versionId).Select(d => d.Key).ToList();
        if (defaults.Count > 0)
            throw new InvalidOperationException($"Model version '{versionId}' is the default for {string.Join(", ", defaults)}; set another default first.");
        S.Versions.Remove(versionId);
        S.Pins.Remove(versionId);
        await WriteAsync();
    }

    public async Task SetDefaultAsync(string task, string versionId)
    {
        if (!S.Versions.TryGetValue(versionId, out var version))
            throw new ArgumentException($"Model version '{versionId}' is not registered.");
        var key = task == IModelRegistryGrain.AnyTask ? task : (TaskAliases.TryResolve(task)?.Name
            ?? throw new ArgumentException($"Unknown task '{task}'."));
        if (key != IModelRegistryGrain.AnyTask && !version.Tasks.IsDefaultOrEmpty && !version.Tasks.Contains(key))
            throw new ArgumentException($"Model version '{versionId}' does not answer task '{key}' (it answers {string.Join(", ", version.Tasks)}).");
        S.Defaults[key] = versionId;
        await WriteAsync();
    }

    public Task<string?> GetDefaultAsync(string task)
    {
        var name = TaskAliases.TryResolve(task)?.Name ?? task;
        if (S.Defaults.TryGetValue(name, out var own))
            return Task.FromResult<string?>(own);
        return Task.FromResult(S.Defaults.GetValueOrDefault(IModelRegistryGrain.AnyTask));
    }

    public Task<ImmutableDictionary<string, string>> GetDefaultsAsync() =>
        Task.FromResult(S.Defaults.ToImmutableDictionary(StringComparer.Ordinal));

    public async Task PinAsync(string versionId, string campaignId)
    {
        if (!S.Versions.ContainsKey(versionId))
            throw new ArgumentException($"Model version '{versionId}' is not registered.");
        if (!S.Pins.TryGetValue(versionId, out var campaigns))
            S.Pins[versionId] = campaigns = [];
        if (campaigns.Contains(campaignId))
            return;
        campaigns.Add(campaignId);
        await WriteAsync();
    }

    public async Task UnpinAsync(string versionId, string campaignId)
    {
        if (S.Pins.TryGetValue(versionId, out var campaigns) && campaigns.Remove(campaignId))
            await WriteAsync();
    }

    public async Task RegisterDeviceAsync(DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (string.IsNullOrWhiteSpace(device.Silo) || string.IsNullOrWhiteSpace(device.Device) || device.Device.Contains('/'))
            throw new ArgumentException($"Device '{device.Address}' needs a silo name and a device name without '/'.");
        S.Devices[device.Address] = device;
        // Forget devices of silos that are gone (an embedded CLI silo gets a new name each run); a
        // silo that comes back registers its devices again at start.
        var active = ActiveSilos();
        foreach (var gone in S.Devices.Values.Where(d => !active.Contains(d.Silo) && d.Silo != device.Silo).Select(d => d.Address).ToList())
            S.Devices.Remove(gone);
        await WriteAsync();
    }

    public Task<ImmutableArray<DeviceInfo>> ListDevicesAsync() =>
        Task.FromResult(S.Devices.Values.OrderBy(d => d.Address, StringComparer.Ordinal).ToImmutableArray());

    public Task<ImmutableArray<string>> GetServingKeysAsync(string versionId)
    {
        if (!S.Versions.ContainsKey(versionId))
            return Task.FromResult(ImmutableArray<string>.Empty);
        var active = ActiveSilos();
        var keys = S.Devices.Values
            .Where(d => active.Contains(d.Silo))
            .OrderBy(d => d.Kind == DeviceKind.Gpu ? 0 : 1).ThenBy(d => d.Address, StringComparer.Ordinal)
            .Select(d => new ModelGrainKey(versionId, d.Silo, d.Device).ToString())
            .ToImmutableArray();
        return Task.FromResult(keys);
    }

    private HashSet<string> ActiveSilos() =>
        membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

    private static ModelVersionInfo Validate(ModelVersionInfo version)
    {
        if (string.IsNullOrWhiteSpace(version.Id) || version.Id.IndexOfAny(KeyCharacters) >= 0 || version.Id != version.Id.Trim())
            throw new ArgumentException($"Model version id '{version.Id}' must be non-empty, without surrounding spaces, '@', '/' or '|'.");
        if (string.IsNullOrWhiteSpace(version.BaseModelPath))
            throw new ArgumentException($"Model version '{version.Id}' has no base model path.");
        var format = PromptFormats.All.FirstOrDefault(f => string.Equals(f.Name, version.PromptFormat, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Model version '{version.Id}': unknown prompt format '{version.PromptFormat}' (known: {string.Join(", ", PromptFormats.All.Select(f => f.Name))}).");
        CheckModelFile(version);
        var tasks = version.Tasks.IsDefault ? [] : version.Tasks;
        var resolved = tasks.Select(t => TaskAliases.TryResolve(t)?.Name ?? throw new ArgumentException($"Model version '{version.Id}': unknown task '{t}'.")).ToImmutableArray();
        return version with
        {
            PromptFormat = format.Name,
            Tasks = resolved,
            Adapters = version.Adapters.IsDefault ? [] : version.Adapters,
        };
    }

    /// <summary>
    /// A model file this silo can see must be a LLaMA-architecture GGUF: another architecture or an
    /// adapter is refused here, where it enters, not by every prediction later. (A path only other
    /// silos can see is checked where it is loaded.)
    /// </summary>
    private static void CheckModelFile(ModelVersionInfo version)
    {
        if (!Path.IsPathRooted(version.BaseModelPath) || !File.Exists(version.BaseModelPath))
            return;
        try
        {
            Inference.Models.ModelFileCheck.CheckHeader(version.BaseModelPath);
        }
        catch (Inference.Models.ModelFileException e)
        {
            throw new ArgumentException($"Model version '{version.Id}': {e.Message}");
        }
    }

    private static bool SameModel(ModelVersionInfo a, ModelVersionInfo b) =>
        a.BaseModelPath == b.BaseModelPath && a.PromptFormat == b.PromptFormat
        && a.Adapters.SequenceEqual(b.Adapters) && a.Tasks.SequenceEqual(b.Tasks);

    /// <summary>The state is written the one way every grain writes it (<see cref="StateWriter"/>).</summary>
    private Task WriteAsync() => (_writer ??= new StateWriter(() => state.WriteStateAsync())).WriteAsync();
}
