using DarwinGrid.Training.Lora;
using DarwinGrid.Training.Models;

namespace DarwinGrid.Grains.Training;

/// <summary>A registered base + LoRA adapter folded into one GGUF the trainer can start from (as <c>darwin model merge</c> writes it).</summary>
public static class AdapterMerge
{
    public static void Write(string baseFile, string adapterFile, float scale, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        var adapter = LoraAdapterGguf.Read(adapterFile);
        var checkpoint = LlamaCheckpoint.Load(baseFile);
        var temporary = target + ".tmp";
        LoraMerge.WriteMerged(checkpoint, adapter, temporary, scale);
        File.Move(temporary, target, overwrite: true);
    }
}
