using DarwinGrid.Training.Runs;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// A language model <c>darwin eval</c> trains itself, fold by fold: <c>llm:&lt;preset&gt;[+qa][:single][:lora]</c>.
/// <list type="bullet">
/// <item><c>llm:mini</c>: per fold, a new darwin-mini trained on the multi-task stage over the training
/// parts of the run's tasks (only those, as DARWIN's Matbench submission did).</item>
/// <item><c>+qa</c>: first the literature-QA stage from scratch (no folds there, so it is trained once
/// per output folder and shared by every fold), then the multi-task stage on top of it.</item>
/// <item><c>:single</c>: one model per task and fold, trained on that task alone.</item>
/// <item><c>:lora</c>: the multi-task stage as a LoRA adapter on the QA model. LoRA needs a
/// pretrained base, so it requires <c>+qa</c>: an adapter on random weights learns nothing useful.</item>
/// </list>
/// </summary>
public sealed record TrainedModelSpec(TrainingPreset Preset, bool QaStage, bool SingleTask, TrainingMode Mode)
{
    public const string Prefix = "llm:";
    public const string Syntax = "llm:<preset>[+qa][:single][:lora]";

    /// <summary>Report and folder name, e.g. <c>darwin-mini+qa-lora</c>.</summary>
    public string Name => $"darwin-{Preset.Name}{(QaStage ? "+qa" : "")}{(SingleTask ? "-single" : "")}{(Mode == TrainingMode.Lora ? "-lora" : "")}";

    /// <summary>The parsed spec, or null when <paramref name="text"/> does not start with <c>llm:</c>.</summary>
    /// <exception cref="ArgumentException">It starts with <c>llm:</c> but is malformed; the message says what is wrong.</exception>
    public static TrainedModelSpec? TryParse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)) return null;
        var parts = text[Prefix.Length..].Split(':', StringSplitOptions.TrimEntries);
        var start = parts[0].Split('+', StringSplitOptions.TrimEntries);
        if (start[0].Length == 0) throw new ArgumentException($"Model '{text}' names no preset; use {Syntax}, e.g. llm:mini.");
        var preset = TrainingPresets.Get(start[0]);
        var qa = false;
        foreach (var extra in start.Skip(1))
        {
            if (!string.Equals(extra, "qa", StringComparison.OrdinalIgnoreCase) || qa)
                throw new ArgumentException($"Model '{text}': '+{extra}' is not a stage that can precede the multi-task stage (only +qa, once); use {Syntax}.");
            qa = true;
        }
        var single = false;
        var mode = TrainingMode.Full;
        foreach (var option in parts.Skip(1))
        {
            switch (option.ToLowerInvariant())
            {
                case "single": single = true; break;
                case "multi": single = false; break;
                case "lora": mode = TrainingMode.Lora; break;
                case "full": mode = TrainingMode.Full; break;
                default: throw new ArgumentException($"Model '{text}': unknown option ':{option}' (known: single, multi, lora, full); use {Syntax}.");
            }
        }
        if (mode == TrainingMode.Lora && !qa)
            throw new ArgumentException($"Model '{text}': LoRA needs a pretrained base to adapt, and a new {preset.Name} model has random weights; " +
                                        $"use llm:{preset.Name}+qa:lora (the QA stage trained in full, then the multi-task stage as LoRA on it).");
        return new TrainedModelSpec(preset, qa, single, mode);
    }

    public override string ToString() =>
        $"{Prefix}{Preset.Name}{(QaStage ? "+qa" : "")}{(SingleTask ? ":single" : "")}{(Mode == TrainingMode.Lora ? ":lora" : "")}";
}
