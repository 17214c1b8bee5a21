using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Hosting;

namespace DarwinGrid.Grains.Hosting;

/// <summary>Registers what the DarwinGrid grains need on a silo (storage is registered separately: docs/storage.md).</summary>
public static class DarwinGridSiloBuilderExtensions
{
    /// <summary>
    /// Options, the engine-backed predictor factory (replaceable: registered with TryAdd), candidate
    /// sources, the device placement director and the startup tasks (device registration, keeper).
    /// </summary>
    public static ISiloBuilder AddDarwinGridGrains(this ISiloBuilder builder, Action<DarwinGridGrainOptions>? configure = null)
    {
        builder.AddPlacementDirector<DeviceSiloPlacement, DeviceSiloPlacementDirector>();
        builder.ConfigureServices(services =>
        {
            var optionsBuilder = services.AddOptions<DarwinGridGrainOptions>();
            if (configure is not null)
                optionsBuilder.Configure(configure);
            services.TryAddSingleton<IPropertyPredictorFactory, EnginePredictorFactory>();
            services.AddSingleton(sp => new CandidateSources(sp.GetRequiredService<IOptions<DarwinGridGrainOptions>>().Value.DataDirectory));
            services.AddSingleton<SiloStartup>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloStartup>());
        });
        return builder;
    }
}
