using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using LLama.Common;
using LLama.Native;

namespace DarwinGrid.Inference.Tests.Models;

public sealed class GpuPlacementTests
{
    [Fact]
    public void TheBuildFlagDecidesWhereTheLayersGo()
    {
        // CPU builds (the default) keep every layer on the CPU; -p:DarwinGpu=cuda12 builds offload all.
        var parameters = LoadedModel.CreateParameters(new EngineOptions { ModelPath = "m.gguf" }, "m.gguf", 4);
        Assert.Equal(GpuPlacement.IsGpuBuild ? GpuPlacement.AllLayers : 0, parameters.GpuLayerCount);
        Assert.Equal(4u, parameters.SeqMax);
    }

    [Fact]
    public void AGpuBuildOffloadsAllLayersToTheConfiguredDevices()
    {
        var single = new ModelParams("m.gguf");
        GpuPlacement.Apply(single, new EngineOptions { GpuCount = 1, MainGpu = 0 }, gpu: true);
        Assert.Equal(GpuPlacement.AllLayers, single.GpuLayerCount);
        Assert.Equal(GPUSplitMode.None, single.SplitMode);

        var pair = new ModelParams("m.gguf");
        GpuPlacement.Apply(pair, new EngineOptions { GpuCount = 2, MainGpu = 1 }, gpu: true);
        Assert.Equal(GpuPlacement.AllLayers, pair.GpuLayerCount);
        Assert.Equal(GPUSplitMode.Layer, pair.SplitMode);
        Assert.Equal(1, pair.MainGpu);
        Assert.Equal(1f, pair.TensorSplits[0]);
        Assert.Equal(1f, pair.TensorSplits[1]);
        Assert.Equal(0f, pair.TensorSplits[2]);
    }
}
