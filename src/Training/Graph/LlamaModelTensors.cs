using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// The weights of a LLaMA model as F32 ggml tensors in one backend buffer, named as in GGUF. When
/// trainable, every tensor (embeddings and norms included) is marked as a ggml parameter.
/// </summary>
public sealed class LlamaModelTensors : IDisposable
{
    private readonly GgmlContextHandle _context;
    private readonly GgmlBufferHandle _buffer;
    private readonly Dictionary<string, nint> _tensors;

    private LlamaModelTensors(LlamaHyperparameters h, IReadOnlyList<LlamaTensorSpec> specs, GgmlContextHandle context,
        GgmlBufferHandle buffer, Dictionary<string, nint> tensors)
    {
        Hyperparameters = h;
        Specs = specs;
        _context = context;
        _buffer = buffer;
        _tensors = tensors;
    }

    public LlamaHyperparameters Hyperparameters { get; }

    /// <summary>Tensor specs in GGUF order.</summary>
    public IReadOnlyList<LlamaTensorSpec> Specs { get; }

    public long BufferBytes => _buffer.SizeBytes;

    public nint this[string name] =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"The model has no tensor '{name}'.");

    public static LlamaModelTensors Create(GgmlBackendHandle backend, LlamaHyperparameters h, bool trainable)
    {
        var specs = LlamaTensorLayout.Enumerate(h.Validated()).ToList();
        var context = GgmlContextHandle.CreateNoAlloc(specs.Count + 1);
        try
        {
            var tensors = new Dictionary<string, nint>(StringComparer.Ordinal);
            foreach (var spec in specs)
            {
                var d = spec.Dimensions;
                var tensor = d.Length == 1
                    ? Ggml.ggml_new_tensor_1d(context.Pointer, GgmlTensorType.F32, d[0])
                    : Ggml.ggml_new_tensor_2d(context.Pointer, GgmlTensorType.F32, d[0], d[1]);
                Ggml.ggml_set_name(tensor, spec.Name);
                if (trainable) Ggml.ggml_set_param(tensor);
                tensors[spec.Name] = tensor;
            }
            var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
            return new LlamaModelTensors(h, specs, context, buffer, tensors);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public static LlamaModelTensors Load(GgmlBackendHandle backend, LlamaCheckpoint checkpoint, bool trainable)
    {
        var model = Create(backend, checkpoint.Hyperparameters, trainable);
        try
        {
            model.Upload(checkpoint.Weights);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public void Upload(IReadOnlyDictionary<string, float[]> weights)
    {
        foreach (var spec in Specs)
        {
            if (!weights.TryGetValue(spec.Name, out var values))
                throw new ArgumentException($"No values for tensor '{spec.Name}'.");
            if (values.Length != spec.ElementCount)
                throw new ArgumentException($"Tensor '{spec.Name}' needs {spec.ElementCount} values, got {values.Length}.");
            GgmlTensorData.Set<float>(_tensors[spec.Name], values);
        }
    }

    public Dictionary<string, float[]> Download() =>
        Specs.ToDictionary(s => s.Name, s => GgmlTensorData.Get<float>(_tensors[s.Name]), StringComparer.Ordinal);

    public void Dispose()
    {
        _buffer.Dispose();
        _context.Dispose();
    }
}
