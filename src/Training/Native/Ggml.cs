using System.Runtime.InteropServices;

namespace DarwinGrid.Training.Native;

/// <summary>
/// P/Invoke declarations for libggml-base, exactly as exported by LLamaSharp.Backend.Cpu 0.30.0
/// (ggml commit 815a2a591). Tensors, graphs, contexts, buffers and schedulers are raw pointers
/// here; ownership lives in the SafeHandles and wrappers of this namespace. C <c>bool</c> is a byte.
/// </summary>
public static unsafe partial class Ggml
{
    private const string Lib = GgmlLibrary.BaseLibrary;

    static Ggml() => GgmlLibrary.EnsureRegistered();

    // Contexts and sizes
    [LibraryImport(Lib)] public static partial nint ggml_init(GgmlInitParams parameters);
    [LibraryImport(Lib)] public static partial void ggml_free(nint ctx);
    [LibraryImport(Lib)] public static partial nuint ggml_tensor_overhead();
    [LibraryImport(Lib)] public static partial nuint ggml_graph_overhead_custom(nuint size, byte grads);
    [LibraryImport(Lib)] public static partial nuint ggml_nbytes(nint tensor);
    [LibraryImport(Lib)] public static partial long ggml_nelements(nint tensor);

    // Tensors
    [LibraryImport(Lib)] public static partial nint ggml_new_tensor_1d(nint ctx, GgmlTensorType type, long ne0);
    [LibraryImport(Lib)] public static partial nint ggml_new_tensor_2d(nint ctx, GgmlTensorType type, long ne0, long ne1);
    [LibraryImport(Lib)] public static partial nint ggml_new_tensor_3d(nint ctx, GgmlTensorType type, long ne0, long ne1, long ne2);
    [LibraryImport(Lib)] public static partial nint ggml_new_tensor_4d(nint ctx, GgmlTensorType type, long ne0, long ne1, long ne2, long ne3);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial nint ggml_set_name(nint tensor, string name);
    [LibraryImport(Lib)] public static partial void ggml_set_param(nint tensor);
    [LibraryImport(Lib)] public static partial void ggml_set_loss(nint tensor);
    [LibraryImport(Lib)] public static partial void ggml_set_input(nint tensor);
    [LibraryImport(Lib)] public static partial void ggml_set_output(nint tensor);

    // Operations
    [LibraryImport(Lib)] public static partial nint ggml_get_rows(nint ctx, nint a, nint rows);
    [LibraryImport(Lib)] public static partial nint ggml_rms_norm(nint ctx, nint a, float eps);
    [LibraryImport(Lib)] public static partial nint ggml_mul(nint ctx, nint a, nint b);
    [LibraryImport(Lib)] public static partial nint ggml_add(nint ctx, nint a, nint b);
    [LibraryImport(Lib)] public static partial nint ggml_scale(nint ctx, nint a, float s);
    [LibraryImport(Lib)] public static partial nint ggml_mul_mat(nint ctx, nint a, nint b);
    [LibraryImport(Lib)] public static partial nint ggml_out_prod(nint ctx, nint a, nint b);
    [LibraryImport(Lib)] public static partial nint ggml_reshape_2d(nint ctx, nint a, long ne0, long ne1);
    [LibraryImport(Lib)] public static partial nint ggml_reshape_3d(nint ctx, nint a, long ne0, long ne1, long ne2);
    [LibraryImport(Lib)] public static partial nint ggml_reshape_4d(nint ctx, nint a, long ne0, long ne1, long ne2, long ne3);
    [LibraryImport(Lib)] public static partial nint ggml_permute(nint ctx, nint a, int axis0, int axis1, int axis2, int axis3);
    [LibraryImport(Lib)] public static partial nint ggml_cont(nint ctx, nint a);
    [LibraryImport(Lib)] public static partial nint ggml_transpose(nint ctx, nint a);
    [LibraryImport(Lib)] public static partial byte ggml_is_contiguous(nint tensor);
    [LibraryImport(Lib)] public static partial nint ggml_repeat_4d(nint ctx, nint a, long ne0, long ne1, long ne2, long ne3);
    [LibraryImport(Lib)] public static partial nint ggml_cont_2d(nint ctx, nint a, long ne0, long ne1);
    [LibraryImport(Lib)] public static partial nint ggml_rope_ext(nint ctx, nint a, nint positions, nint freqFactors,
        int nDims, int mode, int nCtxOrig, float freqBase, float freqScale, float extFactor, float attnFactor, float betaFast, float betaSlow);
    [LibraryImport(Lib)] public static partial nint ggml_soft_max_ext(nint ctx, nint a, nint mask, float scale, float maxBias);
    [LibraryImport(Lib)] public static partial nint ggml_silu(nint ctx, nint a);
    [LibraryImport(Lib)] public static partial nint ggml_swiglu_split(nint ctx, nint a, nint b);
    [LibraryImport(Lib)] public static partial nint ggml_cross_entropy_loss(nint ctx, nint logits, nint labels);
    [LibraryImport(Lib)] public static partial nint ggml_argmax(nint ctx, nint a);
    [LibraryImport(Lib)] public static partial nint ggml_sum(nint ctx, nint a);
    /// <summary>fun: <c>void (*)(ggml_tensor* dst, const ggml_tensor* a, int ith, int nth, void* userdata)</c>; dst is a new contiguous tensor shaped like a.</summary>
    [LibraryImport(Lib)] public static partial nint ggml_map_custom1(nint ctx, nint a, nint fun, int nTasks, nint userdata);
    /// <summary>fun: <c>void (*)(ggml_tensor* dst, int ith, int nth, void* userdata)</c>; dst is a new contiguous tensor of the given shape whose src[i] are <paramref name="args"/>.</summary>
    [LibraryImport(Lib)] public static partial nint ggml_custom_4d(nint ctx, GgmlTensorType type, long ne0, long ne1, long ne2, long ne3, nint* args, int nArgs, nint fun, int nTasks, nint userdata);
    [LibraryImport(Lib)] public static partial nint ggml_get_data(nint tensor);
    [LibraryImport(Lib)] public static partial nint ggml_opt_step_adamw(nint ctx, nint a, nint grad, nint m, nint v, nint adamwParams);

    // Graphs
    [LibraryImport(Lib)] public static partial nint ggml_new_graph_custom(nint ctx, nuint size, byte grads);
    [LibraryImport(Lib)] public static partial nint ggml_graph_dup(nint ctx, nint graph, byte forceGrads);
    [LibraryImport(Lib)] public static partial void ggml_build_forward_expand(nint graph, nint tensor);
    [LibraryImport(Lib)] public static partial void ggml_build_backward_expand(nint ctx, nint graph, nint* gradAccumulators);
    [LibraryImport(Lib)] public static partial nint ggml_graph_get_grad(nint graph, nint node);
    [LibraryImport(Lib)] public static partial nint ggml_graph_get_grad_acc(nint graph, nint node);
    [LibraryImport(Lib)] public static partial void ggml_graph_reset(nint graph);
    [LibraryImport(Lib)] public static partial int ggml_graph_n_nodes(nint graph);
    [LibraryImport(Lib)] public static partial int ggml_graph_size(nint graph);
    [LibraryImport(Lib)] public static partial nint ggml_graph_node(nint graph, int i);
    [LibraryImport(Lib)] public static partial nint* ggml_graph_nodes(nint graph);
    [LibraryImport(Lib)] public static partial nint ggml_op_name(int op);

    // Backend buffers and the scheduler
    [LibraryImport(Lib)] public static partial nint ggml_backend_alloc_ctx_tensors(nint ctx, nint backend);
    [LibraryImport(Lib)] public static partial void ggml_backend_buffer_free(nint buffer);
    [LibraryImport(Lib)] public static partial nuint ggml_backend_buffer_get_size(nint buffer);
    [LibraryImport(Lib)] public static partial void ggml_backend_tensor_set(nint tensor, void* data, nuint offset, nuint size);
    [LibraryImport(Lib)] public static partial void ggml_backend_tensor_get(nint tensor, void* data, nuint offset, nuint size);
    [LibraryImport(Lib)] public static partial void ggml_backend_free(nint backend);
    [LibraryImport(Lib)] public static partial GgmlStatus ggml_backend_graph_compute(nint backend, nint graph);
    [LibraryImport(Lib)] public static partial nint ggml_backend_sched_new(nint* backends, nint* bufferTypes, int count, nuint graphSize, byte parallel, byte opOffload);
    [LibraryImport(Lib)] public static partial void ggml_backend_sched_free(nint sched);
    [LibraryImport(Lib)] public static partial void ggml_backend_sched_reset(nint sched);
    [LibraryImport(Lib)] public static partial byte ggml_backend_sched_alloc_graph(nint sched, nint graph);
    [LibraryImport(Lib)] public static partial GgmlStatus ggml_backend_sched_graph_compute(nint sched, nint graph);
    [LibraryImport(Lib)] public static partial nuint ggml_backend_sched_get_buffer_size(nint sched, nint backend);

    // ggml-opt (only used to prove the struct layout of this build in the self-test)
    [LibraryImport(Lib)] public static partial GgmlOptimizerParams ggml_opt_get_default_optimizer_params(nint userData);
}
