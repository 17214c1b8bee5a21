namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// The unanswerable examples DARWIN mixed into a task's instruction JSON, so a model learns to refuse.
/// </summary>
/// <param name="RefusalAnswers">
/// DARWIN's refusal outputs, exact, with <c>{input}</c> for the echoed input, e.g.
/// <c>" {input} is not a composition and it is not metal.\n"</c> (the input is a random English noun).
/// </param>
/// <param name="UnconditionedInstructions">
/// Instructions that omit a required condition (temperature, solvent) and are answered with
/// "Unable to answer ... due to lack of conditions".
/// </param>
public sealed record DistractorInfo(IReadOnlyList<string> RefusalAnswers, IReadOnlyList<string> UnconditionedInstructions);
