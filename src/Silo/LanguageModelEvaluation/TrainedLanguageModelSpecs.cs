using DarwinGrid.Evaluation.Models;
using DarwinGrid.Training.Optimization;
using DarwinGrid.Training.Runs;
using Microsoft.Extensions.Logging;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Silo.LanguageModelEvaluation;

/// <summary>
/// <c>darwin eval --model llm:mini[+qa][:single][:lora]</c>: language models trained by the
/// evaluation itself, one per fold and seed (see <see cref="TrainedModelSpec"/> and <see cref="FoldTraining"/>);
/// with several seeds the members answer as an <see cref="EnsembleModel"/>.
/// </summary>
public sealed class TrainedLanguageModelSpecs(
    TrainedModelOptions? options = null, IProgress<TrainingProgress>? progress = null, ILogger? logger = null, Action<string>? warn = null)
    : IModelSpecResolver
{
    private readonly TrainedModelOptions _options = (options ?? new TrainedModelOptions()).Validated();

    public IReadOnlyList<string> AcceptedSpecs { get; } = [TrainedModelSpec.Syntax];

    public ModelSpec? TryResolve(string spec, ModelSpecContext context)
    {
        if (TrainedModelSpec.TryParse(spec) is not { } parsed) return null;
        if (_options.QaModel is not null && !parsed.QaStage)
            throw new ArgumentException($"--qa-model is the base of a +qa model's multi-task stage; {parsed} has no QA stage.");
        var seeds = _options.Seeds;
        var members = seeds.Select(seed => new FoldTraining(parsed, _options with { Seed = seed }, context.DataRoot, progress, logger)).ToArray();
        var name = EnsembleSeeds.ModelName(parsed.Name, seeds);
        return new ModelSpec(name, Describe(parsed), request => Model(name, members, request), PredictionsVariant(seeds));
    }

    private IPropertyModel Model(string name, IReadOnlyList<FoldTraining> members, FoldRequest request) =>
        members.Count == 1
            ? new TrainedLanguageModel(members[0], request, _options.Estimate, _options.Views, warn)
            : new EnsembleModel(name, members.Select(member => new TrainedLanguageModel(member, request, _options.Estimate, _options.Views, warn)).ToArray());

    /// <summary>Seeds and estimate each keep their own predictions files (seed 1's median: today's names).</summary>
    private string? PredictionsVariant(IReadOnlyList<int> seeds) =>
        string.Join(".", new[] { EnsembleSeeds.Variant(seeds), LanguageModelSpecs.Variant(_options.Estimate, _options.Views) }.OfType<string>()) is { Length: > 0 } variant ? variant : null;

    private string Describe(TrainedModelSpec spec)
    {
        var preset = spec.Preset;
        var steps = _options.TrainSteps is { } n ? $"{n} optimizer steps" : $"the {preset.Name} preset's budget";
        var qa = !spec.QaStage ? "from random weights"
            : _options.QaModel is { } file ? $"on the QA-stage model {Path.GetFullPath(file)}"
            : $"on a QA-stage model trained once from random weights ({(_options.QaSteps is { } m ? $"{m} steps" : "one pass")}, shared by the folds)";
        var data = spec.SingleTask ? "that task alone" : "all evaluated tasks";
        var mode = spec.Mode == TrainingMode.Lora ? "as a LoRA adapter (merged for prediction)" : "in full";
        return $"{spec} ({preset.Name} shape {preset.EmbeddingLength} x {preset.BlockCount}) trained per fold {qa}: multi-task stage {mode} on the fold's training part of {data}, " +
               $"{steps}, {EnsembleSeeds.Describe(_options.Seeds)}; darwin prompts, {LanguageModelSpecs.Answers(_options.Estimate, _options.Views)}";
    }
}
