using DarwinGrid.Training.Graph;
using DarwinGrid.Training.Kernels;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Optimization;

/// <summary>
/// The graphs of one batch layout, built once and reused every step: forward (loss and predictions,
/// for validation), forward+backward accumulating gradients, and forward+backward+AdamW. The graphs
/// are our own (ggml_new_graph_custom sized from the layer count) rather than ggml-opt's static
/// graphs, which hold 2048 nodes (15 layers); backward and optimizer steps are expanded directly.
/// Inputs, gradient accumulators and AdamW moments live in statically allocated buffers, so the
/// scheduler never overwrites them; ggml_graph_reset zeroes accumulators after each optimizer step.
/// </summary>
internal sealed unsafe class TrainingGraph : IDisposable
{
    private const int AdamParameterCount = 7;

    private readonly GgmlContextHandle _inputContext;
    private readonly GgmlBufferHandle _inputBuffer;
    private readonly GgmlContextHandle? _stateContext;
    private readonly GgmlBufferHandle? _stateBuffer;
    private readonly GgmlContextHandle _computeContext;
    private readonly GgmlSchedulerHandle _scheduler;
    private readonly nint _forward, _accumulate, _optimize;
    private readonly nint _labels, _answerMask, _lossScale, _adamDecayed, _adamNotDecayed;
    private readonly float[] _labelBuffer;
    private readonly float[] _answerMaskBuffer;
    private readonly Dictionary<string, (nint Parameter, nint M, nint V)> _optimizerState = new(StringComparer.Ordinal);
    private nint _allocated;

    public TrainingGraph(GgmlBackendHandle backend, ModelUnderTraining model, BatchLayout layout, bool trainable, ProductKernel products = ProductKernel.Auto)
    {
        Layout = layout;
        var h = model.Hyperparameters;
        var shape = new LlamaBatchShape(layout.TokensPerRow, layout.Rows);
        var lora = model.LoraProjectionsPerLayer;
        var graphSize = trainable ? GraphSizing.TrainingNodes(h.BlockCount, lora) : GraphSizing.ForwardNodes(h.BlockCount, lora);
        _labelBuffer = new float[h.VocabSize * layout.AnswerSlots];
        _answerMaskBuffer = new float[layout.AnswerSlots];

        _inputContext = GgmlContextHandle.CreateNoAlloc(16);
        var ictx = _inputContext.Pointer;
        Inputs = LlamaGraphInputs.Create(ictx, shape);
        Gather = LlamaGraphInputs.Input(ggml_new_tensor_1d(ictx, GgmlTensorType.I32, layout.AnswerSlots), "answer_positions");
        _labels = LlamaGraphInputs.Input(ggml_new_tensor_2d(ictx, GgmlTensorType.F32, h.VocabSize, layout.AnswerSlots), "answer_labels");
        _answerMask = LlamaGraphInputs.Input(ggml_new_tensor_2d(ictx, GgmlTensorType.F32, 1, layout.AnswerSlots), "answer_mask");
        _lossScale = LlamaGraphInputs.Input(ggml_new_tensor_1d(ictx, GgmlTensorType.F32, 1), "loss_scale");
        _adamDecayed = LlamaGraphInputs.Input(ggml_new_tensor_1d(ictx, GgmlTensorType.F32, AdamParameterCount), "adamw_decayed");
        _adamNotDecayed = LlamaGraphInputs.Input(ggml_new_tensor_1d(ictx, GgmlTensorType.F32, AdamParameterCount), "adamw_not_decayed");
        _inputBuffer = GgmlBufferHandle.AllocateTensors(_inputContext, backend);

        _computeContext = GgmlContextHandle.CreateNoAlloc(3 * graphSize, graphs: 3, graphSize: graphSize);
        var ctx = _computeContext.Pointer;
        var graph = model.Graph(ctx, shape);
        // Output head only on answer positions; unused slots are zeroed so they carry no gradient.
        var answers = ggml_get_rows(ctx, graph.Hidden(Inputs), Gather);
        var logits = ggml_mul(ctx, graph.Output(answers), _answerMask);
        Loss = ggml_mul(ctx, ggml_cross_entropy_loss(ctx, logits, _labels), _lossScale);
        ggml_set_name(Loss, "loss");
        ggml_set_output(Loss);
        Predictions = ggml_argmax(ctx, logits);
        ggml_set_output(Predictions);

        _forward = ggml_new_graph_custom(ctx, (nuint)graphSize, grads: 1);
        if (trainable) ggml_set_loss(Loss);
        ggml_build_forward_expand(_forward, Loss);
        ggml_build_forward_expand(_forward, Predictions);
        _scheduler = GgmlSchedulerHandle.Create(backend, 2 * graphSize + 64);
        if (!trainable)
        {
            products.Apply(ctx, _forward);
            return;
        }

        // One accumulator per trainable node (and the loss's seed gradient), then AdamW moments.
        // Only model.Trainable gets them: frozen LoRA base weights are plain tensors, no parameters.
        var nodes = ggml_graph_n_nodes(_forward);
        var isParameter = model.Trainable.ToDictionary(t => t.Tensor);
        _stateContext = GgmlContextHandle.CreateNoAlloc(3 * model.Trainable.Count + 2);
        var sctx = _stateContext.Pointer;
        var accumulators = new nint[nodes];
        var moments = new Dictionary<nint, (nint M, nint V, bool IsNorm)>();
        for (var i = 0; i < nodes; i++)
        {
            var node = ggml_graph_node(_forward, i);
            if (node == Loss) accumulators[i] = ggml_new_tensor_1d(sctx, GgmlTensorType.F32, 1);
            if (!isParameter.TryGetValue(node, out var tensor)) continue;
            accumulators[i] = NewLike(sctx, tensor.Dimensions);
            moments[node] = (NewLike(sctx, tensor.Dimensions), NewLike(sctx, tensor.Dimensions), tensor.IsNorm);
            _optimizerState[tensor.Name] = (node, moments[node].M, moments[node].V);
        }
        if (moments.Count != model.Trainable.Count)
            throw new InvalidOperationException($"Only {moments.Count} of {model.Trainable.Count} trainable tensors reach the loss; every one must.");
        _stateBuffer = GgmlBufferHandle.AllocateTensors(_stateContext, backend);
        Moments = model.Trainable.Select(t => new AdamMoments(t, moments[t.Tensor].M, moments[t.Tensor].V)).ToList();

        _accumulate = ggml_graph_dup(ctx, _forward, forceGrads: 1);
        fixed (nint* accs = accumulators) ggml_build_backward_expand(ctx, _accumulate, accs);
        // A frozen base in its own type: input gradients read a per-node F32 copy, then take the F32 kernels below.
        FrozenWeightGradients.Rewrite(ctx, _accumulate, model.Base);
        // ggml's CPU products are slow at this size (out_prod is a loop of rank-1 updates); see ProductKernel.
        products.Apply(ctx, _accumulate);
        _optimize = ggml_graph_dup(ctx, _accumulate, forceGrads: 1);
        for (var i = nodes - 1; i >= 0; i--)
        {
            var node = ggml_graph_node(_forward, i);
            if (!moments.TryGetValue(node, out var state)) continue;
            var gradient = ggml_graph_get_grad(_optimize, node);
            if (gradient == 0) throw new InvalidOperationException($"Weight {i} has no gradient in the backward graph.");
            ggml_build_forward_expand(_optimize, ggml_opt_step_adamw(ctx, node, gradient, state.M, state.V,
                state.IsNorm ? _adamNotDecayed : _adamDecayed));
        }
        // Zero moments and accumulators, seed d(loss)/d(loss) = 1.
        ggml_graph_reset(_optimize);
        NodeCount = ggml_graph_n_nodes(_optimize);
        GraphSize = graphSize;
    }

    public BatchLayout Layout { get; }
    public LlamaGraphInputs Inputs { get; }
    public nint Gather { get; }
    public nint Loss { get; }
    public nint Predictions { get; }
    public int NodeCount { get; }
    public int GraphSize { get; }

    /// <summary>AdamW's first and second moments of each trainable tensor, in the model's trainable order (empty when not trainable).</summary>
    public IReadOnlyList<AdamMoments> Moments { get; } = [];

    /// <summary>
    /// The trainable tensors with their AdamW moments, by name: what a checkpoint must hold besides the
    /// step counters to continue the same optimisation. Only valid between optimizer steps (the
    /// gradient accumulators are then zero and need no saving).
    /// </summary>
    public OptimizerTensors DownloadOptimizerState() => new(
        _optimizerState.ToDictionary(p => p.Key, p => GgmlTensorData.Get<float>(p.Value.Parameter), StringComparer.Ordinal),
        _optimizerState.ToDictionary(p => p.Key, p => GgmlTensorData.Get<float>(p.Value.M), StringComparer.Ordinal),
        _optimizerState.ToDictionary(p => p.Key, p => GgmlTensorData.Get<float>(p.Value.V), StringComparer.Ordinal));

    public void UploadOptimizerState(OptimizerTensors state)
    {
        if (_optimizerState.Count == 0) throw new InvalidOperationException("This graph was built for evaluation only.");
        foreach (var (name, (parameter, m, v)) in _optimizerState)
        {
            GgmlTensorData.Set<float>(parameter, Required(state.Parameters, name, "values"));
            GgmlTensorData.Set<float>(m, Required(state.FirstMoments, name, "first moments"));
            GgmlTensorData.Set<float>(v, Required(state.SecondMoments, name, "second moments"));
        }
        var extra = state.Parameters.Keys.Where(k => !_optimizerState.ContainsKey(k)).ToArray();
        if (extra.Length > 0)
            throw new ArgumentException($"The optimizer state has tensors this model does not train: {string.Join(", ", extra.Take(5))}.");
    }

    private static float[] Required(IReadOnlyDictionary<string, float[]> tensors, string name, string what) =>
        tensors.TryGetValue(name, out var values) ? values : throw new ArgumentException($"The optimizer state has no {what} for tensor '{name}'.");

    public long StaticBytes => _inputBuffer.SizeBytes + (_stateBuffer?.SizeBytes ?? 0);

    public void Upload(TrainingBatch batch, int vocabularySize, float lossScale)
    {
        GgmlTensorData.Set<int>(Inputs.Tokens, batch.Tokens);
        GgmlTensorData.Set<int>(Inputs.Positions, batch.Positions);
        GgmlTensorData.Set<float>(Inputs.Mask, batch.Mask);
        GgmlTensorData.Set<int>(Gather, batch.GatherIndices);
        Array.Clear(_labelBuffer);
        for (var slot = 0; slot < batch.Targets.Length; slot++)
        {
            var target = batch.Targets[slot];
            _answerMaskBuffer[slot] = target >= 0 ? 1f : 0f;
            if (target >= 0) _labelBuffer[slot * vocabularySize + target] = 1f;
        }
        GgmlTensorData.Set<float>(_labels, _labelBuffer);
        GgmlTensorData.Set<float>(_answerMask, _answerMaskBuffer);
        GgmlTensorData.Set<float>(_lossScale, [lossScale]);
    }

    /// <summary>AdamW step parameters in ggml's order: alpha, beta1, beta2, eps, wd, 1/(1-beta1^t), 1/(1-beta2^t).</summary>
    public void SetOptimizerStep(TrainerOptions options, float learningRate, int iteration)
    {
        var beta1Correction = 1f / (1f - MathF.Pow(options.Beta1, iteration));
        var beta2Correction = 1f / (1f - MathF.Pow(options.Beta2, iteration));
        GgmlTensorData.Set<float>(_adamDecayed, [learningRate, options.Beta1, options.Beta2, options.Epsilon, options.WeightDecay, beta1Correction, beta2Correction]);
        GgmlTensorData.Set<float>(_adamNotDecayed, [learningRate, options.Beta1, options.Beta2, options.Epsilon, 0f, beta1Correction, beta2Correction]);
    }

    public void ComputeForward() => Compute(_forward);

    public void ComputeAccumulate() => Compute(_accumulate);

    /// <summary>Forward, backward and AdamW; then clears the accumulated gradients for the next step.</summary>
    public void ComputeOptimize()
    {
        Compute(_optimize);
        ggml_graph_reset(_accumulate);
    }

    public long ComputeBufferBytes(GgmlBackendHandle backend) => (long)ggml_backend_sched_get_buffer_size(_scheduler.Pointer, backend.Pointer);

    private void Compute(nint cgraph)
    {
        if (cgraph == 0) throw new InvalidOperationException("This graph was built for evaluation only.");
        if (_allocated != cgraph)
        {
            ggml_backend_sched_reset(_scheduler.Pointer);
            if (ggml_backend_sched_alloc_graph(_scheduler.Pointer, cgraph) == 0)
                throw new InvalidOperationException("ggml could not allocate the training graph (out of memory?).");
            _allocated = cgraph;
        }
        var status = ggml_backend_sched_graph_compute(_scheduler.Pointer, cgraph);
        if (status != GgmlStatus.Success) throw new InvalidOperationException($"The training graph failed: {status}.");
    }

    private static nint NewLike(nint ctx, long[] dimensions) => dimensions.Length == 1
        ? ggml_new_tensor_1d(ctx, GgmlTensorType.F32, dimensions[0])
        : ggml_new_tensor_2d(ctx, GgmlTensorType.F32, dimensions[0], dimensions[1]);

    public void Dispose()
    {
        _scheduler.Dispose();
        _computeContext.Dispose();
        _stateBuffer?.Dispose();
        _stateContext?.Dispose();
        _inputBuffer.Dispose();
        _inputContext.Dispose();
    }
}

/// <summary>The AdamW state of one trainable tensor (ggml tensors of the same shape).</summary>
internal sealed record AdamMoments(TrainableTensor Parameter, nint M, nint V);
