namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// One class of a classification task.
/// </summary>
/// <param name="Name">Our canonical name (e.g. <c>true</c>, <c>fcc</c>, <c>high</c>).</param>
/// <param name="Option">
/// The text that distinguishes this class in an answer, right after the task's common answer
/// prefix: <c>" Yes"</c>, <c>" fcc"</c>, <c>" high"</c>. An engine scores the first token of
/// <c>CommonPrefix + Option</c>'s option part after evaluating prompt + common prefix once.
/// </param>
/// <param name="AnswerTemplate">
/// The full answer as DARWIN writes it, with <c>{input}</c> and <c>{qualifier}</c> placeholders,
/// e.g. <c>" Yes, {input} is metal.\n"</c>.
/// </param>
/// <param name="SourceValues">Cell values in the data file that mean this class (compared trimmed, ignoring case).</param>
public sealed record ClassLabel(string Name, string Option, string AnswerTemplate, IReadOnlyList<string> SourceValues);
