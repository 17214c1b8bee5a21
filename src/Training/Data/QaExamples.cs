using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Prompts;

namespace DarwinGrid.Training.Data;

/// <summary>
/// Stage 1 (DARWIN's QA fine-tuning): a literature question-answer pair as an instruction record
/// with no input. DARWIN's QA data is not public, so its exact form is inferred: the question is the
/// instruction (Alpaca no-input template, as train.py picks for an empty input) and the answer is
/// written like every output in DARWIN's released instruction JSON, <c>" " + answer + "\n"</c>
/// (all 24k records of darwin/*/*.json start with a space and end with a newline; DARWIN's
/// inference.py also reads the answer after "Response: " up to the first "\n"). The leading space
/// keeps the answer's first token a "▁word" piece, as for the property answers.
/// </summary>
public static class QaExamples
{
    public const string TaskName = "sciqag_qa";

    public static string Response(string answer) => " " + answer.Trim() + "\n";

    public static TrainingExample From(QaRecord pair, IPromptFormat format) =>
        new(TaskName, format.Complete(pair.Question.Trim(), ""), Response(pair.Answer))
        {
            Kind = ExampleKind.QuestionAnswer,
            SourceRow = pair.Index,
        };
}
