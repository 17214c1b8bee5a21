using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using DarwinGrid.Inference.Tests.Support;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Inference.Tests.Models;

/// <summary>Architectures other than llama, and files llama.cpp cannot load, are refused with the reason where a model enters.</summary>
public sealed class ModelRefusalTests(TinyModelFile model) : IClassFixture<TinyModelFile>
{
    /// <summary>The tiny model rewritten with another architecture label and/or without its output norm.</summary>
    private string Variant(string name, string architecture, bool dropOutputNorm)
    {
        var checkpoint = LlamaCheckpoint.Load(model.Path);
        var writer = new GgufWriter();
        foreach (var (key, value) in checkpoint.Metadata)
            writer.Set(key, key == "general.architecture" ? GgufValue.Of(architecture) : value);
        foreach (var spec in LlamaTensorLayout.Enumerate(checkpoint.Hyperparameters).Where(s => !(dropOutputNorm && s.Name == LlamaTensorLayout.OutputNorm)))
            writer.AddTensor(spec.Name, spec.Dimensions, checkpoint.Weights[spec.Name]);
        var path = Path.Combine(model.Directory, name + ".gguf");
        writer.WriteTo(path);
        return path;
    }

    [Fact]
    public void AQwen2FileIsRefusedNamingTheArchitecture()
    {
        var path = Variant("qwen2-labelled", "qwen2", dropOutputNorm: false);
        var error = Assert.Throws<ModelFileException>(() => ModelFileCheck.Verify(path));
        Assert.Contains("'qwen2'", error.Message);
        Assert.Contains(path, error.Message);
        var engine = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.ModelPath = path)));
        Assert.Contains("'qwen2'", engine.Message);
    }

    [Fact]
    public void AGemmaFileIsRefusedNamingTheArchitecture()
    {
        var path = Variant("gemma-broken", "gemma", dropOutputNorm: true);
        Assert.Contains("'gemma'", Assert.Throws<ModelFileException>(() => ModelFileCheck.Verify(path)).Message);
    }

    [Fact]
    public void ALlamaFileLlamaCppCannotLoadIsRefusedWithTheReason()
    {
        var path = Variant("missing-tensor", "llama", dropOutputNorm: true);
        var error = Assert.Throws<ModelFileException>(() => ModelFileCheck.Verify(path));
        Assert.Contains("llama.cpp could not load", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        ModelFileCheck.Verify(model.Path); // the intact file passes
    }
}
