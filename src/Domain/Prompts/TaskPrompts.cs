using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Prompts;

/// <summary>Builds prompts and training answers for catalog tasks.</summary>
public static class TaskPrompts
{
    /// <summary>The prompt asking <paramref name="task"/> about a new candidate, with one of the task's instructions.</summary>
    public static string ForCandidate(IPromptFormat format, PropertyTask task, string candidate, int instructionIndex = 0)
    {
        if (task.Input == InputField.DonorAcceptorInInstruction)
            throw new InvalidOperationException(
                $"Task '{task.Name}' carries its input inside each record's instruction; use ForRecord.");
        return format.Complete(Instruction(task, instructionIndex), task.DarwinInput(candidate));
    }

    /// <summary>
    /// The prompt for a known record: DARWIN's own instruction and input when the record came from
    /// DARWIN's JSON, otherwise the task's instruction <paramref name="instructionIndex"/>.
    /// </summary>
    public static string ForRecord(IPromptFormat format, PropertyTask task, TaskRecord record, int instructionIndex = 0) =>
        record.Darwin is { } darwin
            ? format.Complete(darwin.Instruction, darwin.Input)
            : format.Complete(Instruction(task, instructionIndex), task.DarwinInput(record.Input));

    /// <summary>The response a model should produce for a record, as DARWIN writes it (" 1.51\n").</summary>
    public static string Answer(PropertyTask task, TaskRecord record) =>
        record.Darwin?.Output ?? task.Answer.Format(record.Input, record.Target, record.Qualifier);

    private static string Instruction(PropertyTask task, int index) =>
        index >= 0 && index < task.Instructions.Count
            ? task.Instructions[index]
            : throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Task '{task.Name}' has instructions 0..{task.Instructions.Count - 1}.");
}
