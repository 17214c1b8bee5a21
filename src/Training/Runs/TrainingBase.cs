namespace DarwinGrid.Training.Runs;

/// <summary>
/// What the first stage starts from: <c>new:&lt;preset&gt;</c> (random weights of the preset's
/// shape, the built-in vocabulary) or an existing LLaMA GGUF file.
/// </summary>
public sealed record TrainingBase
{
    private TrainingBase(string? presetName, string? file)
    {
        PresetName = presetName;
        File = file;
    }

    /// <summary>The preset whose shape is created from random weights; null for a file.</summary>
    public string? PresetName { get; }

    /// <summary>The full path of the GGUF to start from; null for a new model.</summary>
    public string? File { get; }

    public bool IsNew => PresetName is not null;

    public static TrainingBase New(TrainingPreset preset) => new(preset.Name, null);

    public static TrainingBase FromFile(string path) => new(null, Path.GetFullPath(path));

    /// <summary><c>new:mini</c>, <c>new:tiny</c> or a path to a <c>.gguf</c> file (which must exist).</summary>
    public static TrainingBase Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (text.StartsWith("new:", StringComparison.OrdinalIgnoreCase))
            return New(TrainingPresets.Get(text[4..]));
        if (!text.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"--base '{text}' is neither new:<preset> ({string.Join(", ", TrainingPresets.All.Select(p => "new:" + p.Name))}) nor a .gguf file.");
        if (!System.IO.File.Exists(text)) throw new FileNotFoundException($"--base: there is no model file '{text}'.", text);
        return FromFile(text);
    }

    public override string ToString() => PresetName is { } preset ? "new:" + preset : File!;
}
