using System.Collections.Immutable;

namespace DarwinGrid.Grains.Models;

/// <summary>
/// Hosts one inference engine for one model version on one device (key: <see cref="ModelGrainKey"/>).
/// Placed on the silo that owns the device; loads the model lazily on the first call.
/// </summary>
[Alias("DarwinGrid.IModelGrain")]
public interface IModelGrain : IGrainWithStringKey
{
    /// <summary>Predicts every input; one prediction per input, in order (failures carry an error).</summary>
    [Alias("Predict")] Task<ImmutableArray<Prediction>> PredictAsync(PredictionBatch batch, CancellationToken cancellationToken = default);

    [Alias("Load")] Task<ModelLoad> GetLoadAsync();
}

/// <summary>Model versions, defaults per task, and the devices that serve them (key <see cref="Key"/>).</summary>
[Alias("DarwinGrid.IModelRegistryGrain")]
public interface IModelRegistryGrain : IGrainWithStringKey
{
    public const string Key = "default";
    /// <summary>The default that applies to tasks without a default of their own.</summary>
    public const string AnyTask = "*";

    [Alias("Register")] Task RegisterAsync(ModelVersionInfo version);
    [Alias("List")] Task<ImmutableArray<ModelVersionInfo>> ListAsync();
    [Alias("Get")] Task<ModelVersionInfo?> GetAsync(string versionId);

    /// <summary>Refused (with the reason) when a campaign or default still uses the version.</summary>
    [Alias("Remove")] Task RemoveAsync(string versionId);

    [Alias("SetDefault")] Task SetDefaultAsync(string task, string versionId);
    /// <summary>The version for a task: its own default, else the <see cref="AnyTask"/> default, else null.</summary>
    [Alias("Default")] Task<string?> GetDefaultAsync(string task);
    [Alias("Defaults")] Task<ImmutableDictionary<string, string>> GetDefaultsAsync();

    [Alias("Pin")] Task PinAsync(string versionId, string campaignId);
    [Alias("Unpin")] Task UnpinAsync(string versionId, string campaignId);

    [Alias("Device")] Task RegisterDeviceAsync(DeviceInfo device);
    [Alias("Devices")] Task<ImmutableArray<DeviceInfo>> ListDevicesAsync();

    /// <summary>Model grain keys that can serve a version: one per live device, GPUs first.</summary>
    [Alias("Endpoints")] Task<ImmutableArray<string>> GetServingKeysAsync(string versionId);
}
