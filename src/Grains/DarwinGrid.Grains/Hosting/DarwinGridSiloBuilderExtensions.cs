using DarwinGrid.Grains.Campaigns;
using DarwinGrid.Grains.Models;
using DarwinGrid.Grains.Placement;
using DarwinGrid.Grains.Training;
using Microsoft.Extensions.Configuration;
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
    /// Options (bound from the <c>DarwinGrid</c> section, then <paramref name="configure"/>, validated at start), the engine-backed predictor factory (replaceable: registered with TryAdd), candidate
    /// sources, the device placement director, the training runner, evaluator and silo filter (this
    /// silo's metadata says whether it trains, so the method calls <c>UseSiloMetadata</c>: do not call
    /// it again) and the startup tasks (device registration, keeper).
    /// </summary>
    public static ISiloBuilder AddDarwinGridGrains(this ISiloBuilder builder, Action<DarwinGridGrainOptions>? configure = null)
    {
        builder.AddPlacementDirector<DeviceSiloPlacement, DeviceSiloPlacementDirector>();
        // Silo metadata is fixed when the silo is built, before options exist: read the flag from a
        // probe copy made the way the options will be (configuration, then the caller's delegate).
        var probe = new DarwinGridGrainOptions();
        builder.Configuration.GetSection(DarwinGridGrainOptions.SectionName).Bind(probe);
        configure?.Invoke(probe);
        builder.UseSiloMetadata(new Dictionary<string, string>(probe.SiloMetadata) { [TrainingSilos.MetadataKey] = probe.Training.CanTrain ? "true" : "false" });
        builder.Services.AddPlacementFilter<TrainingSiloPlacementFilterStrategy, TrainingSiloPlacementFilterDirector>(ServiceLifetime.Singleton);
        builder.ConfigureServices(services =>
        {
            // Bound once from DarwinGrid:Engine/:Screening/:Training, then what the host computes; checked
            // when the host starts, so a bad value stops the start with its key.
            var optionsBuilder = services.AddOptions<DarwinGridGrainOptions>().BindConfiguration(DarwinGridGrainOptions.SectionName).ValidateOnStart();
            if (configure is not null)
                optionsBuilder.Configure(configure);
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DarwinGridGrainOptions>, DarwinGridGrainOptionsValidator>());
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
