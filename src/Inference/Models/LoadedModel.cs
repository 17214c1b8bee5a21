using DarwinGrid.Inference.Engine;
using LLama;
using LLama.Common;
using LLama.Exceptions;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Inference.Models;

/// <summary>Weights plus one batched context, with the engine's settings applied.</summary>
public sealed class LoadedModel : IDisposable
{
    private LoadedModel(string path, string architecture, LLamaWeights weights, LLamaContext context)
    {
        Path = path;
        Architecture = architecture;
        Weights = weights;
        Context = context;
    }

    public string Path { get; }

    public string Architecture { get; }

    public LLamaWeights Weights { get; }

    public LLamaContext Context { get; }

    public SafeLLamaContextHandle Native => Context.NativeHandle;

    /// <summary>Loads the model with <paramref name="sequenceCount"/> sequences in one context.</summary>
    public static LoadedModel Load(EngineOptions options, int sequenceCount, ILogger? logger = null)
    {
        options.Validated();
        var path = System.IO.Path.GetFullPath(options.ModelPath);
        var architecture = ModelFileCheck.CheckHeader(path);

        var parameters = CreateParameters(options, path, sequenceCount);
        LLamaWeights weights;
        try
        {
            weights = LLamaWeights.LoadFromFile(parameters);
        }
        catch (LoadWeightsFailedException e)
        {
            throw ModelFileCheck.LoadFailed(path, architecture, e);
        }

        try
        {
            var context = weights.CreateContext(parameters, logger);
            try
            {
                var adapters = LoraAdapterLoader.Load(weights, architecture, options.LoraAdapters);
                if (adapters.Count > 0)
                    context.NativeHandle.SetLoraAdapters(adapters.Select(a => (a.Adapter, a.Scale)).ToArray());
                logger?.LogInformation("Loaded {Model} ({Architecture}, {Parameters} parameters) with {Sequences} sequences, context {Context}, {Adapters} LoRA adapter(s)",
                    path, architecture, weights.ParameterCount, sequenceCount, context.ContextSize, adapters.Count);
                return new LoadedModel(path, architecture, weights, context);
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }
        catch
        {
            weights.Dispose();
            throw;
        }
    }

    public static ModelParams CreateParameters(EngineOptions options, string path, int sequenceCount)
    {
        var parameters = new ModelParams(path)
        {
            ContextSize = options.ContextSize,
            SeqMax = (uint)sequenceCount,
            BatchSize = options.BatchSize,
            UBatchSize = Math.Min(options.UBatchSize, options.BatchSize),
            Threads = options.Threads,
            BatchThreads = options.BatchThreads ?? options.Threads,
            FlashAttention = options.FlashAttention,
            KVUnified = options.UnifiedKvCache,
        };
        if (options.F32KvCache)
        {
            parameters.TypeK = GGMLType.GGML_TYPE_F32;
            parameters.TypeV = GGMLType.GGML_TYPE_F32;
        }
        GpuPlacement.Apply(parameters, options);
        return parameters;
    }

    public void Dispose()
    {
        Context.Dispose();
        Weights.Dispose();
    }
}
