using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Training;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace DarwinGrid.Grains.Hosting;

/// <summary>
/// When the silo becomes active: offers its devices to the registry, registers the startup model
/// versions, and starts the keeper that re-activates unfinished campaigns every
/// <see cref="ScreeningOptions.KeeperInterval"/> (after a restart, or when a silo died under them),
/// and unfinished training runs (placed again on a silo that may train, where they resume).
/// Runs in the background so a slow registry never holds up silo start.
/// </summary>
public sealed class SiloStartup(
    IGrainFactory grains,
    ILocalSiloDetails silo,
    IOptions<DarwinGridGrainOptions> options,
    ILogger<SiloStartup> logger) : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _keeper;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloStartup), ServiceLifecycleStage.Active, OnStartAsync, OnStopAsync);

    private Task OnStartAsync(CancellationToken cancellationToken)
    {
        _keeper = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task OnStopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        if (_keeper is not null)
            await _keeper.WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task RunAsync(CancellationToken stop)
    {
        var registered = false;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    await RegisterAsync();
                    registered = true;
                }
                await KeepCampaignsAsync(stop);
                await KeepTrainingRunsAsync(stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogWarning("Silo startup/keeper: {Error}; trying again", e.Message);
            }
            try
            {
                await Task.Delay(options.Value.Screening.KeeperInterval, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RegisterAsync()
    {
        var registry = grains.GetGrain<IModelRegistryGrain>(IModelRegistryGrain.Key);
        foreach (var device in options.Value.Devices)
        {
            var kind = device.StartsWith("gpu", StringComparison.OrdinalIgnoreCase) ? DeviceKind.Gpu : DeviceKind.Cpu;
            await registry.RegisterDeviceAsync(new DeviceInfo(silo.Name, device, kind, DateTimeOffset.UtcNow));
        }
        foreach (var startup in options.Value.StartupModels)
        {
            if (await registry.GetAsync(startup.Version.Id) is null)
                await registry.RegisterAsync(startup.Version);
            if (startup.MakeDefault && await registry.GetDefaultAsync(IModelRegistryGrain.AnyTask) is null)
                await registry.SetDefaultAsync(IModelRegistryGrain.AnyTask, startup.Version.Id);
        }
        logger.LogInformation("Silo {Silo} offers devices {Devices}", silo.Name, string.Join(", ", options.Value.Devices));
    }

    private async Task KeepCampaignsAsync(CancellationToken stop)
    {
        var unfinished = await grains.GetGrain<ICampaignDirectoryGrain>(ICampaignDirectoryGrain.Key).ListUnfinishedAsync();
        foreach (var id in unfinished)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                // Activation is what resumes a running campaign; the status call is only the knock.
                await grains.GetGrain<ICampaignGrain>(id).GetStatusAsync().WaitAsync(TimeSpan.FromSeconds(20), stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogDebug("Keeper: campaign {Id} did not answer: {Error}", id, e.Message);
            }
        }
    }

    private async Task KeepTrainingRunsAsync(CancellationToken stop)
    {
        var unfinished = await grains.GetGrain<ITrainingDirectoryGrain>(ITrainingDirectoryGrain.Key).ListUnfinishedAsync();
        foreach (var id in unfinished)
        {
            stop.ThrowIfCancellationRequested();
            try
            {
                // As for campaigns: activation (on a silo that may train) is what picks the run up again.
                await grains.GetGrain<ITrainingGrain>(id).GetStatusAsync().WaitAsync(TimeSpan.FromSeconds(20), stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                logger.LogDebug("Keeper: training run {Id} did not answer: {Error}", id, e.Message);
            }
        }
    }
}
