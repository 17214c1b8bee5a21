using DarwinGrid.Inference.Engine;
using LLama.Abstractions;
using LLama.Common;
using LLama.Native;

namespace DarwinGrid.Inference.Models;

/// <summary>
/// Where the layers go. CUDA builds (<c>-p:DarwinGpu=cuda12</c>, define <c>DARWIN_GPU_CUDA12</c>)
/// offload every layer; CPU builds keep everything on the CPU (LLamaSharp's default would try 20).
/// </summary>
public static class GpuPlacement
{
    /// <summary>More than any model's layer count: llama.cpp clamps it to "all layers".</summary>
    public const int AllLayers = 999;

#if DARWIN_GPU_CUDA12
    public const bool IsGpuBuild = true;
#else
    public const bool IsGpuBuild = false;
#endif

    public static void Apply(ModelParams parameters, EngineOptions options) => Apply(parameters, options, IsGpuBuild);

    /// <summary>Separate from the build flag so both placements are testable in any build.</summary>
    public static void Apply(ModelParams parameters, EngineOptions options, bool gpu)
    {
        if (!gpu)
        {
            parameters.GpuLayerCount = 0;
            parameters.SplitMode = GPUSplitMode.None;
            return;
        }
        parameters.GpuLayerCount = AllLayers;
        parameters.MainGpu = options.MainGpu;
        if (options.GpuCount == 1)
        {
            parameters.SplitMode = GPUSplitMode.None;
            return;
        }
        // Layer split, evenly over the first GpuCount devices.
        parameters.SplitMode = GPUSplitMode.Layer;
        var splits = new TensorSplitsCollection();
        for (var i = 0; i < options.GpuCount && i < splits.Length; i++) splits[i] = 1f;
        parameters.TensorSplits = splits;
    }
}
