using System.Collections.Immutable;
using DarwinGrid.Domain.Training;

namespace DarwinGrid.Grains.Training;

/// <summary>
/// What a training run trains (the <see cref="ITrainingGrain"/> key is the run id). Everything but
/// <see cref="Preset"/> has a default; the grain normalises the rest (task aliases to catalog names,
/// stage names) before it stores the spec, and a second start with an equivalent spec is a no-op.
/// </summary>
/// <param name="Preset">The recipe (<c>tiny</c>, <c>mini</c>): model shape for a new model, trainer settings, data mixture.</param>
/// <param name="BaseModel"><see cref="NewModel"/> (from random weights), a registered version id, or a GGUF path.</param>
/// <param name="Stages">Training stages in order (<c>qa</c>, <c>multitask</c>); empty means <c>multitask</c>.</param>
/// <param name="Tasks">Tasks of the multi-task stage; empty means the preset's mixture.</param>
/// <param name="Name">The model name; the registered version is <c>{Name}:{runId}</c>. Default <c>darwin-{preset}</c>.</param>
/// <param name="CheckpointEverySteps">Write a resumable checkpoint every N optimizer steps (null: none).</param>
/// <param name="EvaluationLimit">Score at most this many held-out records per task on registration (null: the whole fold).</param>
/// <param name="MakeDefault">Make the registered version the default for each trained task.</param>
/// <param name="LabRecords">Measured values the multi-task stage learns from, mixed with a replay of the original mixture (a campaign's lab loop).</param>
/// <param name="LabHeldOut">Measured values kept out of training and scored with the base version and the new one; the scores are registered with the version as <c>lab:{task}</c>.</param>
[GenerateSerializer, Immutable]
[Alias("DarwinGrid.TrainingJobSpec")]
public sealed record TrainingJobSpec(
    [property: Id(0)] string Preset,
    [property: Id(1)] string BaseModel = TrainingJobSpec.NewModel,
    [property: Id(2)] ImmutableArray<string> Stages = default,
    [property: Id(3)] TrainingMode Mode = TrainingMode.Full,
    [property: Id(4)] ImmutableArray<string> Tasks = default,
    [property: Id(5)] int? Epochs = null,
    [property: Id(6)] int Seed = 1,
    [property: Id(7)] int? MaxSteps = null,
    [property: Id(8)] TimeSpan? MaxDuration = null,
    [property: Id(9)] string? PromptFormat = null,
    [property: Id(10)] int Threads = 0,
    [property: Id(11)] string? Name = null,
    [property: Id(12)] int? CheckpointEverySteps = null,
    [property: Id(13)] int? EvaluationLimit = null,
    [property: Id(14)] bool MakeDefault = false,
    [property: Id(15)] string? Description = null,
    [property: Id(16)] ImmutableArray<LabValue> LabRecords = default,
    [property: Id(17)] ImmutableArray<LabValue> LabHeldOut = default)
{
    /// <summary>Train a new model of the preset's shape from random weights.</summary>
    public const string NewModel = "new";
}

/// <summary>A value a lab measured, as a training run takes it: a numeric catalog task, the composition, the number.</summary>
[GenerateSerializer, Immutable]
[Alias("DarwinGrid.LabValue")]
public sealed record LabValue(
    [property: Id(0)] string Task,
    [property: Id(1)] string Composition,
    [property: Id(2)] double Value);
