using DarwinGrid.Training.Kernels;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// Forward-only evaluation of a model on the CPU backend: the logits of every position of a token
/// sequence, optionally with a LoRA adapter applied. Used to prove the graph against llama.cpp and
/// to score models without LLamaSharp.
/// </summary>
public sealed class LlamaForward : IDisposable
{
    private readonly GgmlBackendHandle _backend;
    private readonly LlamaModelTensors _model;
    private readonly LoraAdapterTensors? _adapter;
    private readonly ProductKernel _products;

    /// <param name="adapter">Applied with <paramref name="adapterScale"/> (llama.cpp's user scale) when given.</param>
    /// <param name="products">The code that computes the matrix products.</param>
    public LlamaForward(LlamaCheckpoint checkpoint, int threads = 0, LoraAdapter? adapter = null, float adapterScale = 1f, ProductKernel products = ProductKernel.Auto)
    {
        _products = products.Resolve();
        _backend = GgmlBackendHandle.CreateCpu(threads > 0 ? threads : Environment.ProcessorCount);
        try
        {
            _model = LlamaModelTensors.Load(_backend, checkpoint, trainable: false);
            _adapter = adapter is null ? null : LoraAdapterTensors.Load(_backend, adapter, checkpoint.Hyperparameters, trainable: false, adapterScale);
        }
        catch
        {
            _model?.Dispose();
            _backend.Dispose();
            throw;
        }
    }

    public LlamaHyperparameters Hyperparameters => _model.Hyperparameters;

    /// <summary>Logits [position][vocabulary] for one sequence starting at position 0.</summary>
    public float[][] Logits(IReadOnlyList<int> tokens)
    {
        var vocabulary = _model.Hyperparameters.VocabSize;
        var flat = Evaluate(tokens, keepNamed: false, (_, logits) => GgmlTensorData.Get<float>(logits));
        return Enumerable.Range(0, tokens.Count).Select(i => flat.AsSpan(i * vocabulary, vocabulary).ToArray()).ToArray();
    }

    /// <summary>
    /// The values of every node the graph names as llama.cpp's <c>cb()</c> does (<c>attn_norm-0</c>,
    /// <c>Qcur-0</c>, ..., <c>l_out-1</c>, <c>result_output</c>), by name: compared with llama.cpp's own
    /// activations (its eval callback), the first one that differs names the layer and the op.
    /// </summary>
    public Dictionary<string, float[]> Activations(IReadOnlyList<int> tokens) =>
        Evaluate(tokens, keepNamed: true, (named, _) => named.ToDictionary(n => n.Name, n => GgmlTensorData.Get<float>(n.Node), StringComparer.Ordinal));

    private T Evaluate<T>(IReadOnlyList<int> tokens, bool keepNamed, Func<IReadOnlyList<(string Name, nint Node)>, nint, T> read)
    {
        var h = _model.Hyperparameters;
        if (tokens.Count == 0) throw new ArgumentException("No tokens to evaluate.", nameof(tokens));
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] < 0 || tokens[i] >= h.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), $"Token {tokens[i]} at position {i} is outside the vocabulary of {h.VocabSize}.");
        }

        var shape = new LlamaBatchShape(tokens.Count, 1);
        var nodes = GraphSizing.ForwardNodes(h.BlockCount, _adapter?.Options.Targets.Count ?? 0);
        using var context = GgmlContextHandle.CreateNoAlloc(2 * nodes, graphs: 1, graphSize: nodes);
        using var scheduler = GgmlSchedulerHandle.Create(_backend, 2 * nodes);
        var ctx = context.Pointer;
        var inputs = LlamaGraphInputs.Create(ctx, shape);
        var graph = new LlamaGraph(ctx, _model, shape, _adapter);
        var logits = graph.Output(graph.Hidden(inputs));
        Ggml.ggml_set_output(logits);
        var cgraph = Ggml.ggml_new_graph_custom(ctx, (nuint)nodes, 0);
        Ggml.ggml_build_forward_expand(cgraph, logits);
        _products.Apply(ctx, cgraph);
        // Kept only when asked for: the allocator otherwise reuses their memory for later nodes.
        var named = keepNamed ? NamedNodes(cgraph) : [];
        foreach (var (_, node) in named) Ggml.ggml_set_output(node);

        if (Ggml.ggml_backend_sched_alloc_graph(scheduler.Pointer, cgraph) == 0)
            throw new InvalidOperationException("ggml could not allocate the forward graph.");
        GgmlTensorData.Set<int>(inputs.Tokens, tokens.ToArray());
        GgmlTensorData.Set<int>(inputs.Positions, Enumerable.Range(0, tokens.Count).ToArray());
        GgmlTensorData.Set<float>(inputs.Mask, AttentionMask.Causal(tokens.Count));
        var status = Ggml.ggml_backend_sched_graph_compute(scheduler.Pointer, cgraph);
        if (status != GgmlStatus.Success) throw new InvalidOperationException($"The forward graph failed: {status}.");
        return read(named, logits);
    }

    /// <summary>The graph's nodes that carry a name (ggml's derived views are named "x (reshaped)" and so on: left out).</summary>
    private static unsafe List<(string Name, nint Node)> NamedNodes(nint cgraph)
    {
        var named = new List<(string, nint)>();
        for (var i = 0; i < Ggml.ggml_graph_n_nodes(cgraph); i++)
        {
            var node = Ggml.ggml_graph_node(cgraph, i);
            var name = System.Runtime.InteropServices.Marshal.PtrToStringUTF8((nint)GgmlTensorHeader.Of(node)->Name) ?? "";
            if (name.Length > 0 && !name.Contains(' ')) named.Add((name, node));
        }
        return named;
    }

    public void Dispose()
    {
        _adapter?.Dispose();
        _model.Dispose();
        _backend.Dispose();
    }
}
