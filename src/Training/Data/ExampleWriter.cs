using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Training.Data;

/// <summary>Turns a task's records into examples, and makes DARWIN-style distractors for it.</summary>
internal sealed class ExampleWriter(PropertyTask task, IPromptFormat format, IReadOnlyList<string> allNouns)
{
    private readonly string[] _nounAnswers = task.Distractors?.RefusalAnswers.Where(HasInput).ToArray() ?? [];

    // A noun such as "no" or "high" would make the refusal read as a class answer; leave those out.
    private readonly string[] _nouns = allNouns
        .Where(n => task.Distractors?.RefusalAnswers.Where(HasInput).All(a => !task.Answer.Parse(a.Replace("{input}", n, StringComparison.Ordinal)).Succeeded) ?? true)
        .ToArray();
    private readonly string[] _conditionAnswers = task.Distractors?.RefusalAnswers.Where(a => !HasInput(a)).ToArray() ?? [];
    private readonly IReadOnlyList<string> _unconditioned = task.Distractors?.UnconditionedInstructions ?? [];

    public bool CanWriteDistractors => NounsPossible || UnconditionedPossible;

    private bool NounsPossible => _nounAnswers.Length > 0 && _nouns.Length > 0 && task.Input != InputField.DonorAcceptorInInstruction;

    private bool UnconditionedPossible => _conditionAnswers.Length > 0 && _unconditioned.Count > 0;

    /// <summary>DARWIN's own instruction and output for records from its JSON, otherwise a random one of the task's instructions.</summary>
    public TrainingExample Record(TaskRecord record, SplitMix64Random random)
    {
        var instruction = record.Darwin is null ? random.NextInt(task.Instructions.Count) : 0;
        return new TrainingExample(task.Name, TaskPrompts.ForRecord(format, task, record, instruction), TaskPrompts.Answer(task, record))
        {
            Kind = ExampleKind.Record,
            SourceRow = record.RowNumber,
        };
    }

    /// <summary>
    /// A noun as the input (" price is not a composition and it is not metal.") or, where the task
    /// defines them, an instruction missing its condition asked about a training input
    /// (" Unable to answer due to lack of conditions."); the kind is chosen at random when both exist.
    /// </summary>
    public TrainingExample Distractor(IReadOnlyList<TaskRecord> trainRecords, SplitMix64Random random)
    {
        if (!CanWriteDistractors)
            throw new InvalidOperationException($"Task '{task.Name}' defines no distractor that can be written.");
        var useNoun = NounsPossible && (!UnconditionedPossible || random.NextInt(2) == 0);
        if (useNoun)
        {
            var noun = random.Pick(_nouns);
            var prompt = format.Complete(random.Pick(task.Instructions), task.DarwinInput(noun));
            return new TrainingExample(task.Name, prompt, random.Pick(_nounAnswers).Replace("{input}", noun, StringComparison.Ordinal))
            {
                Kind = ExampleKind.NounDistractor,
            };
        }
        var record = random.Pick(trainRecords);
        var unconditioned = format.Complete(random.Pick(_unconditioned), task.DarwinInput(record.Input));
        return new TrainingExample(task.Name, unconditioned, random.Pick(_conditionAnswers))
        {
            Kind = ExampleKind.UnconditionedDistractor,
            SourceRow = record.RowNumber,
        };
    }

    private static bool HasInput(string answer) => answer.Contains("{input}", StringComparison.Ordinal);
}
