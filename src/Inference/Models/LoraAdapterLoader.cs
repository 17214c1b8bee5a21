using System.Reflection;
using DarwinGrid.Inference.Engine;
using LLama;
using LLama.Native;

namespace DarwinGrid.Inference.Models;

/// <summary>
/// Loads LoRA adapters and fails loudly: LLamaSharp 0.30.0's <c>LoadLoraFromFile</c> returns an
/// adapter with a null native pointer instead of throwing, and applying that would crash later.
/// </summary>
public static class LoraAdapterLoader
{
    // The pointer is internal in LLamaSharp 0.30.0 (pinned); reading it is the only way to see
    // that the native load failed. If a later version renames it, we fail at load, not silently.
    private static readonly PropertyInfo? PointerProperty =
        typeof(LoraAdapter).GetProperty("Pointer", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);

    public static IReadOnlyList<(LoraAdapter Adapter, float Scale)> Load(LLamaWeights weights, string modelArchitecture, IEnumerable<LoraAdapterOptions> adapters)
    {
        var loaded = new List<(LoraAdapter, float)>();
        foreach (var options in adapters)
        {
            var path = Path.GetFullPath(options.Path);
            var header = GgufHeader.Read(path);
            if (header.FileType != "adapter")
                throw new ModelFileException(path, $"it is not a LoRA adapter (general.type is '{header.FileType ?? "(missing)"}', expected 'adapter').");
            if (header.Architecture != modelArchitecture)
                throw new ModelFileException(path, $"the adapter is for architecture '{header.Architecture}' but the model is '{modelArchitecture}'.");
            var adapter = weights.NativeHandle.LoadLoraFromFile(path);
            if (!IsLoaded(adapter))
                throw new ModelFileException(path, "llama.cpp rejected the LoRA adapter (tensor names or shapes do not match the model; see the native log).");
            loaded.Add((adapter, options.Scale));
        }
        return loaded;
    }

    private static bool IsLoaded(LoraAdapter adapter)
    {
        if (PointerProperty?.GetValue(adapter) is not IntPtr pointer)
            throw new InvalidOperationException("LLamaSharp's LoraAdapter no longer exposes its native pointer; check the LLamaSharp version (0.30.0 expected).");
        return pointer != IntPtr.Zero;
    }
}
