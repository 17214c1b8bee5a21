namespace DarwinGrid.Silo.Cli;

/// <summary>
/// <c>darwin model</c> and <c>darwin models</c> are both spelled by the issues and read by checks, so
/// both names stay; their help says which is which and points at the other.
/// </summary>
public static class ModelVerbs
{
    public const string ModelDescription =
        "Make model FILES on this machine: create DarwinGrid's own LLaMA-architecture models (GGUF, loadable by llama.cpp), quantize, calibrate and merge LoRA adapters into them " +
        "(new, mini, calibrate, merge, quantize). To register a file with a running cluster and manage its versions, see 'darwin models'.";

    public const string ModelsDescription =
        "The cluster's model REGISTRY: list the registered model versions; 'models add|show|set-default|remove' manage them. " +
        "To make, quantize, calibrate or merge a model file, see 'darwin model'.";
}
