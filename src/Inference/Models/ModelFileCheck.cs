using LLama;
using LLama.Common;
using LLama.Exceptions;

namespace DarwinGrid.Inference.Models;

/// <summary>
/// Whether a GGUF is a model DarwinGrid can serve and train: a LLaMA-architecture model (not an
/// adapter) that llama.cpp loads. Used where a model enters the platform (<c>darwin models add</c>,
/// the registry, the engine) so a bad file is refused once, with the reason, instead of failing
/// every prediction later.
/// </summary>
public static class ModelFileCheck
{
    public const string SupportedArchitecture = "llama";

    /// <summary>The header checks alone (cheap: reads the key/value section only).</summary>
    /// <exception cref="ModelFileException">Not a GGUF, an adapter, or another architecture.</exception>
    public static string CheckHeader(string path)
    {
        var header = GgufHeader.Read(path);
        if (header.FileType == "adapter")
            throw new ModelFileException(path, "it is a LoRA adapter, not a model; pass it as a LoRA adapter of its base model.");
        var architecture = header.Architecture
            ?? throw new ModelFileException(path, "the GGUF metadata has no general.architecture.");
        if (architecture != SupportedArchitecture)
            throw new ModelFileException(path, $"its architecture is '{architecture}'; DarwinGrid serves and trains '{SupportedArchitecture}' (LLaMA-family) models only.");
        return architecture;
    }

    /// <summary>The header checks, then one load of the weights through llama.cpp (memory-mapped, no context).</summary>
    public static void Verify(string path)
    {
        path = Path.GetFullPath(path);
        var architecture = CheckHeader(path);
        LLama.Native.NativeApi.llama_empty_call();
        try
        {
            using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { GpuLayerCount = 0 });
        }
        catch (LoadWeightsFailedException e)
        {
            throw LoadFailed(path, architecture, e);
        }
    }

    public static ModelFileException LoadFailed(string path, string architecture, Exception inner) =>
        new(path, $"llama.cpp could not load this '{architecture}' model (missing or misshaped tensors or metadata; see the native log).", inner);
}
