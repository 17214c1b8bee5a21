using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Native;
using static DarwinGrid.Training.Native.Ggml;

namespace DarwinGrid.Training.Graph;

/// <summary>
/// Any stored tensor type as F32 values, computed by ggml itself (get_rows dequantizes each row with
/// the type's own routine, as llama.cpp does for token embeddings), so Q4_K, Q6_K, Q8_0, ... read
/// back exactly as llama.cpp sees them. For merging an adapter into a quantized base and for full
/// fine-tuning from one; LoRA training never needs it.
/// </summary>
public static class GgmlDequantizer
{
    public static float[] ToFloats(GgmlType type, long[] dimensions, ReadOnlySpan<byte> raw, string tensorName)
    {
        if (type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16) return TensorData.ToFloats(raw, type, tensorName);
        long rowLength = dimensions[0], rows = dimensions.Skip(1).Aggregate(1L, (p, d) => p * d);
        if (GgmlTypeSizes.ByteCount(type, rowLength * rows) != raw.Length)
            throw new InvalidDataException($"Tensor '{tensorName}': {raw.Length} bytes is not {rowLength} x {rows} {type} values.");
        using var backend = GgmlBackendHandle.CreateCpu(Math.Min(2, Environment.ProcessorCount));
        using var context = GgmlContextHandle.CreateNoAlloc(4, graphs: 1, graphSize: 8);
        var ctx = context.Pointer;
        var stored = ggml_new_tensor_2d(ctx, (GgmlTensorType)(int)type, rowLength, rows);
        var index = ggml_new_tensor_1d(ctx, GgmlTensorType.I32, rows);
        var values = ggml_get_rows(ctx, stored, index);
        var graph = ggml_new_graph_custom(ctx, 8, 0);
        ggml_build_forward_expand(graph, values);
        using var buffer = GgmlBufferHandle.AllocateTensors(context, backend);
        GgmlTensorData.Set<byte>(stored, raw);
        GgmlTensorData.Set<int>(index, Enumerable.Range(0, checked((int)rows)).ToArray());
        var status = ggml_backend_graph_compute(backend.Pointer, graph);
        if (status != GgmlStatus.Success) throw new InvalidOperationException($"ggml could not dequantize tensor '{tensorName}' ({type}): {status}.");
        return GgmlTensorData.Get<float>(values);
    }
}
