using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Placement;
using DarwinGrid.Grains.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace DarwinGrid.Grains.Hosting;

/// <summary>Registers what the DarwinGrid grains need on a silo (storage is registered separately: docs/storage.md).</summary>
public static class DarwinGridSiloBuilderExtensions
{
    /// <summary>
    /// Options, the engine-backed predictor factory (replaceable: registered with TryAdd), candidate
    /// sources, the device placement director, the training runner, evaluator and silo filter (this
    /// silo's metadata says whether it trains, so the method calls <c>UseSiloMetadata</c>: do not call
    /// it again) and the startup tasks (device registration, keeper).
    /// </summary>
    public static ISiloBuilder AddDarwinGridGrains(this ISiloBuilder builder, Action<DarwinGridGrainOptions>? configure = null)
    {
        builder.AddPlacementDirector<DeviceSiloPlacement, DeviceSiloPlacementDirector>();
        // Silo metadata is fixed when the silo is built, before options exist: read the flag from a probe copy.
        var probe = new DarwinGridGrainOptions();
        configure?.Invoke(probe);
        builder.UseSiloMetadata(new Dictionary<string, string>(probe.SiloMetadata) { [TrainingSilos.MetadataKey] = probe.Training.CanTrain ? "true" : "false" });
        builder.Services.AddPlacementFilter<TrainingSiloPlacementFilterStrategy, TrainingSiloPlacementFilterDirector>(ServiceLifetime.Singleton);
        builder.ConfigureServices(services =>
        {
            var optionsBuilder = services.AddOptions<DarwinGridGrainOptions>();
            if (configure is not null)
                optionsBuilder.Configure(configure);
            services.TryAddSingleton<IPropertyPredictorFactory, EnginePredictorFactory>();
            services.TryAddSingleton<ITrainingJobRunner, TrainerJobRunner>();
            services.TryAddSingleton<IModelVersionEvaluator, HeldOutFoldEvaluator>();
            services.TryAddSingleton<LabHeldOutScorer>();
            services.AddSingleton(sp => new CandidateSources(sp.GetRequiredService<IOptions<DarwinGridGrainOptions>>().Value.DataDirectory));
            services.AddSingleton<SiloStartup>();
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloStartup>());
        });
        return builder;
    }
}
