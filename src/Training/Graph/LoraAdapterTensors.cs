using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Graph;

/// <summary>The A/B pair of one adapted weight as ggml tensors, with the multiplier of B (A x).</summary>
public sealed record LoraTensorPair(LoraWeight Shape, nint A, nint B, float Scale);

/// <summary>
/// A LoRA adapter's matrices as F32 ggml tensors in their own backend buffer, named as in llama.cpp's
/// adapter GGUF (<c>blk.N.attn_q.weight.lora_a</c>). When trainable, A and B are ggml parameters.
/// </summary>
public sealed class LoraAdapterTensors : IDisposable
{
    private readonly GgmlContextHandle _context;
    private readonly GgmlBufferHandle _buffer;
    private readonly Dictionary<string, LoraTensorPair> _pairs;

    private LoraAdapterTensors(LoraOptions options, GgmlContextHandle context, GgmlBufferHandle buffer, Dictionary<string, LoraTensorPair> pairs, List<LoraTensorPair> ordered)
    {
        Options = options;
        _context = context;
        _buffer = buffer;
        _pairs = pairs;
        Pairs = ordered;
    }

    public LoraOptions Options { get; }

    /// <summary>The pairs in the adapter's order.</summary>
    public IReadOnlyList<LoraTensorPair> Pairs { get; }

    public long BufferBytes => _buffer.SizeBytes;

    /// <summary>The pair adapting <paramref name="baseName"/>, if any.</summary>
    public LoraTensorPair? Find(string baseName) => _pairs.GetValueOrDefault(baseName);

    /// <summary>A and B of every pair, as (name, ggml shape, tensor).</summary>
    public IEnumerable<(string Name, long[] Dimensions, nint Tensor)> Tensors() =>
        Pairs.SelectMany(p => new[] { (p.Shape.AName, p.Shape.ADimensions, p.A), (p.Shape.BName, p.Shape.BDimensions, p.B) });

    /// <summary>Allocates the adapter's tensors on <paramref name="backend"/> and uploads its values (scaled by <paramref name="userScale"/> at use).</summary>
    public static LoraAdapterTensors Load(GgmlBackendHandle backend, LoraAdapter adapter, LlamaHyperparameters h, bool trainable, float userScale = 1f)
    {
        adapter.CheckedAgainst(h);
        var context = GgmlContextHandle.CreateNoAlloc(2 * adapter.Weights.Count + 1);
        try
        {
            var pairs = new Dictionary<string, LoraTensorPair>(StringComparer.Ordinal);
            var ordered = new List<LoraTensorPair>();
            foreach (var weight in adapter.Weights)
            {
                var a = Ggml.ggml_new_tensor_2d(context.Pointer, GgmlTensorType.F32, weight.InputLength, weight.Rank);
                var b = Ggml.ggml_new_tensor_2d(context.Pointer, GgmlTensorType.F32, weight.Rank, weight.OutputLength);
                Ggml.ggml_set_name(a, weight.AName);
                Ggml.ggml_set_name(b, weight.BName);
                if (trainable)
                {
                    Ggml.ggml_set_param(a);
                    Ggml.ggml_set_param(b);
                }
                var pair = new LoraTensorPair(weight with { A = [], B = [] }, a, b, adapter.ScaleOf(weight, userScale));
                if (!pairs.TryAdd(weight.BaseName, pair))
                    throw new ArgumentException($"The adapter has two pairs for '{weight.BaseName}'.");
                ordered.Add(pair);
            }
            var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
            var tensors = new LoraAdapterTensors(adapter.Options, context, buffer, pairs, ordered);
            try
            {
                tensors.Upload(adapter);
                return tensors;
            }
            catch
            {
                buffer.Dispose();
                throw;
            }
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    public void Upload(LoraAdapter adapter)
    {
        foreach (var weight in adapter.Weights)
        {
            var pair = Find(weight.BaseName) ?? throw new ArgumentException($"This adapter has no pair for '{weight.BaseName}'.");
            if (pair.Shape.Rank != weight.Rank || pair.Shape.InputLength != weight.InputLength || pair.Shape.OutputLength != weight.OutputLength)
                throw new ArgumentException($"LoRA weight '{weight.BaseName}' has a different shape than the adapter's tensors.");
            GgmlTensorData.Set<float>(pair.A, weight.Validated().A);
            GgmlTensorData.Set<float>(pair.B, weight.B);
        }
    }

    /// <summary>The current values with the adapter's options.</summary>
    public LoraAdapter Download() => new(Options,
        Pairs.Select(p => p.Shape with { A = GgmlTensorData.Get<float>(p.A), B = GgmlTensorData.Get<float>(p.B) }).ToList());

    public void Dispose()
    {
        _buffer.Dispose();
        _context.Dispose();
    }
}
