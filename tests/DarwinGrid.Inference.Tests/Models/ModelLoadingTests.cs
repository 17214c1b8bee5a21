using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Models;
using DarwinGrid.Inference.Tests.Support;
using DarwinGrid.Training.Gguf;

namespace DarwinGrid.Inference.Tests.Models;

/// <summary>Bad model and adapter files give exceptions that name the file and the reason, never a crash.</summary>
public sealed class ModelLoadingTests(TinyModelFile model) : IClassFixture<TinyModelFile>
{
    private static readonly string[] Labels = ["metal", "insulator", "semiconductor"];

    private string Temp(string name) => Path.Combine(model.Directory, name);

    [Fact]
    public void AMissingModelFileIsNamed()
    {
        var path = Temp("does-not-exist.gguf");
        var error = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.ModelPath = path)));
        Assert.Contains(path, error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void ATextFileIsNotAGguf()
    {
        var path = Temp("notes.gguf");
        File.WriteAllText(path, "band gap values, not a model at all");
        var error = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.ModelPath = path)));
        Assert.Contains(path, error.Message);
        Assert.Contains("GGUF magic", error.Message);
    }

    [Fact]
    public void ATruncatedGgufIsReportedAsTruncated()
    {
        var path = Temp("truncated.gguf");
        var bytes = File.ReadAllBytes(model.Path);
        File.WriteAllBytes(path, bytes[..200]);
        var error = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.ModelPath = path)));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void AnArchitectureLlamaCppCannotRunIsNamed()
    {
        var path = Temp("unknown-arch.gguf");
        new GgufWriter().Set("general.architecture", GgufValue.Of("darwin-transformer")).WriteTo(path);
        var error = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.ModelPath = path)));
        Assert.Contains(path, error.Message);
        Assert.Contains("'darwin-transformer'", error.Message);
    }

    [Fact]
    public void AModelPassedAsLoraAdapterIsRejected()
    {
        var error = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.LoraAdapters.Add(new() { Path = model.Path }))));
        Assert.Contains(model.Path, error.Message);
        Assert.Contains("not a LoRA adapter", error.Message);
    }

    [Fact]
    public void AnAdapterWhoseShapesDoNotMatchTheModelIsRejected()
    {
        var path = Temp("misshaped-adapter.gguf");
        LoraAdapterFile.Write(path, model.Shape, rank: 4, seed: 1, inputOverride: 32);
        var error = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.LoraAdapters.Add(new() { Path = path }))));
        Assert.Contains(path, error.Message);
        Assert.Contains("rejected the LoRA adapter", error.Message);
    }

    [Fact]
    public void AnAdapterFileThatIsMissingIsNamed()
    {
        var path = Temp("no-adapter.gguf");
        var error = Assert.Throws<ModelFileException>(() => InferenceEngine.Start(model.Options(configure: o => o.LoraAdapters.Add(new() { Path = path }))));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public async Task AValidAdapterChangesTheAnswersAndScaleZeroRestoresTheBase()
    {
        var path = Temp("adapter.gguf");
        LoraAdapterFile.Write(path, model.Shape, rank: 4, seed: 3);
        var request = new EngineRequest(BandGapPrompts.Prefix, BandGapPrompts.Suffix("Ag2BBr"), new ResponseMode.Labels(Labels));

        var baseline = await Probabilities(model.Options(), request);
        var adapted = await Probabilities(model.Options(configure: o => o.LoraAdapters.Add(new() { Path = path, Scale = 1f })), request);
        var zero = await Probabilities(model.Options(configure: o => o.LoraAdapters.Add(new() { Path = path, Scale = 0f })), request);

        Assert.True(baseline.Zip(adapted).Max(p => Math.Abs(p.First - p.Second)) > 1e-2, "the adapter did not change the label probabilities");
        Assert.All(baseline.Zip(zero), p => Assert.InRange(p.Second, p.First - 1e-3, p.First + 1e-3));
    }

    [Fact]
    public void InvalidOptionsNameTheSetting()
    {
        var error = Assert.Throws<ArgumentException>(() => InferenceEngine.Start(model.Options(seqMax: 0)));
        Assert.Contains("SeqMax", error.Message);
        error = Assert.Throws<ArgumentException>(() => InferenceEngine.Start(model.Options(seqMax: 64, o => o.BatchSize = 32)));
        Assert.Contains("BatchSize", error.Message);
    }

    private static async Task<double[]> Probabilities(EngineOptions options, EngineRequest request)
    {
        await using var engine = InferenceEngine.Start(options);
        var result = await engine.EvaluateAsync(request);
        return result.Labels!.Select(l => l.Probability).ToArray();
    }
}
