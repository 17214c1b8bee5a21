namespace DarwinGrid.Training.Data;

/// <summary>What an example was made from.</summary>
public enum ExampleKind
{
    /// <summary>A data record of a catalog task: its input and known answer.</summary>
    Record,
    /// <summary>DARWIN's distractor: a random English noun as the input, answered with a refusal.</summary>
    NounDistractor,
    /// <summary>DARWIN's distractor: an instruction missing a required condition, answered "Unable to answer ...".</summary>
    UnconditionedDistractor,
    /// <summary>A literature question-answer pair (stage 1).</summary>
    QuestionAnswer,
    /// <summary>A value a lab measured (<see cref="LabRecord"/>), learnt with a replay of the mixture.</summary>
    LabRecord,
}

/// <summary>
/// One supervised example as text: the model reads <see cref="Prompt"/> and learns to write
/// <see cref="Response"/> (DARWIN's output form, e.g. <c>" 1.51\n"</c>); the trainer adds EOS.
/// </summary>
/// <param name="Task">The catalog task name, or <see cref="QaExamples.TaskName"/> for stage 1.</param>
public sealed record TrainingExample(string Task, string Prompt, string Response)
{
    public ExampleKind Kind { get; init; } = ExampleKind.Record;

    /// <summary>The task record's row number (<see cref="Domain.Datasets.TaskRecord.RowNumber"/>) or QA pair index; null for noun distractors.</summary>
    public int? SourceRow { get; init; }
}
