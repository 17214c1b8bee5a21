using System.CommandLine;
using DarwinGrid.Training.Gguf;
using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Silo.Cli;

/// <summary><c>darwin model merge</c>: folds a LoRA adapter into its base model and writes a plain GGUF.</summary>
public static class ModelMergeCommand
{
    public static Command Create()
    {
        var baseModel = new Option<string>("--base") { Description = "The base model GGUF the adapter was trained on.", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "The LoRA adapter GGUF (llama.cpp's adapter format).", Required = true };
        var scale = new Option<float>("--scale") { Description = "The adapter's scale, as llama.cpp applies it (W + scale * alpha/r * B A).", DefaultValueFactory = _ => 1f };
        var output = new Option<string>("--out") { Description = "The merged GGUF to write (all tensors F32, the base's metadata).", Required = true };

        var command = new Command("merge", "Merge a LoRA adapter into its base model: the result serves without the adapter and gives the same answers.");
        foreach (var option in new Option[] { baseModel, adapter, scale, output }) command.Options.Add(option);
        command.SetReportedAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var basePath = Path.GetFullPath(parse.GetValue(baseModel)!);
            var adapterPath = Path.GetFullPath(parse.GetValue(adapter)!);
            var outPath = Path.GetFullPath(parse.GetValue(output)!);
            if (outPath == basePath || outPath == adapterPath)
                throw new ArgumentException($"--out '{outPath}' would overwrite an input; write the merged model to a new file.");
            var lora = LoraAdapterGguf.Read(adapterPath);
            var checkpoint = LlamaCheckpoint.Load(basePath);
            CheckArchitecture(adapterPath, checkpoint);
            LlamaCheckpoint merged;
            try
            {
                merged = LoraMerge.Merge(checkpoint, lora, parse.GetValue(scale));
            }
            catch (LoraAdapterMismatchException e)
            {
                throw new LoraAdapterMismatchException($"the adapter '{adapterPath}' does not fit the base model '{basePath}': {e.Message}");
            }
            merged.Save(outPath);
            stdout.WriteLine($"Wrote {outPath}");
            stdout.WriteLine($"  {lora.Weights.Count} weights adapted (rank {lora.Options.Rank}, alpha {lora.Options.Alpha}, scale {parse.GetValue(scale)}; " +
                             $"targets {string.Join(",", lora.Options.Targets)}), {checkpoint.Hyperparameters.ParameterCount:N0} parameters, {new FileInfo(outPath).Length:N0} bytes");
            return 0;
        });
        return command;
    }

    private static void CheckArchitecture(string adapterPath, LlamaCheckpoint checkpoint)
    {
        using var file = GgufFile.Open(adapterPath);
        var adapterArchitecture = file.Find("general.architecture")?.AsString();
        var baseArchitecture = checkpoint.Metadata.FirstOrDefault(kv => kv.Key == "general.architecture").Value?.AsString() ?? LlamaGguf.Architecture;
        if (adapterArchitecture is not null && adapterArchitecture != baseArchitecture)
            throw new LoraAdapterMismatchException($"the adapter '{adapterPath}' is for architecture '{adapterArchitecture}', the base model is '{baseArchitecture}'.");
    }
}
