using System.Globalization;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Silo.Cli;

/// <summary>Parses <c>ADAPTER.gguf[:SCALE]</c>.</summary>
public static class AdapterOption
{
    public static LoraAdapterOptions Parse(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && float.TryParse(text[(colon + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var scale))
            return new LoraAdapterOptions { Path = text[..colon], Scale = scale };
        if (colon > 0 && !File.Exists(text))
            throw new FormatException($"LoRA adapter '{text}': the scale after ':' is not a number.");
        return new LoraAdapterOptions { Path = text, Scale = 1f };
    }
}
