using DarwinGrid.Inference.Prediction;
using DarwinGrid.Grains.Hosting;
using DarwinGrid.Inference.Engine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Grains.Models;

/// <summary>Starts one <see cref="InferenceEngine"/> per model grain, off the grain scheduler (loading reads the whole GGUF).</summary>
public sealed class EnginePredictorFactory(IOptions<DarwinGridGrainOptions> options, ILoggerFactory loggers) : IPropertyPredictorFactory
{
    public Task<IPropertyPredictor> CreateAsync(ModelVersionInfo version, string device, CancellationToken cancellationToken)
    {
        var host = options.Value;
        var prediction = new PredictionOptions { PromptFormat = version.PromptFormat, MaxNumericTokens = host.Engine.MaxAnswerTokens }.Validated();
        var engineOptions = new EngineOptions
        {
            ModelPath = Resolve(version.BaseModelPath, host.ModelStoreDirectory),
            SeqMax = host.Engine.SeqMax,
            ContextSize = host.Engine.ContextSize,
            BatchSize = (uint)Math.Max(512, host.Engine.SeqMax),
            UBatchSize = (uint)Math.Max(512, host.Engine.SeqMax),
            Threads = host.Engine.Threads,
            BatchThreads = host.Engine.Threads,
            QueueCapacity = host.Engine.QueueCapacity,
            LoraAdapters = [.. version.Adapters.IsDefault ? [] : version.Adapters.Select(a => new LoraAdapterOptions { Path = Resolve(a.Path, host.ModelStoreDirectory), Scale = a.Scale })],
        };
        // GPU devices (gpu0, gpu1...) will pick their GPU here once GPU silos exist; CPU builds ignore the device.
        return Task.Run<IPropertyPredictor>(() =>
        {
            var engine = InferenceEngine.Start(engineOptions, loggers.CreateLogger<InferenceEngine>());
            return new EnginePropertyPredictor(new PropertyPredictor(engine, prediction), version.Id);
        }, cancellationToken);
    }

    private static string Resolve(string path, string? store) =>
        Path.IsPathRooted(path) || store is null ? path : Path.Combine(store, path);
}
