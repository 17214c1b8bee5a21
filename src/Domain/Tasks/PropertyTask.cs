namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// One property-prediction task of the catalog: what it predicts from which input, where the data
/// is, how DARWIN phrases the question and writes the answer.
/// </summary>
public sealed record PropertyTask
{
    /// <summary>Short, stable identifier, e.g. <c>matbench_expt_gap</c>.</summary>
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required TaskKind Kind { get; init; }

    /// <summary>Unit of a regression target ("eV", "MPa"); empty for classification and unitless numbers.</summary>
    public required string Unit { get; init; }

    public required InputField Input { get; init; }

    public required TaskSource Source { get; init; }

    /// <summary>
    /// Paraphrased instructions, each ending in DARWIN's " ->". Where <see cref="DarwinInstructionFile"/>
    /// is set they are the distinct instructions DARWIN used for this task (verbatim, typos included);
    /// otherwise they are written in the same style.
    /// </summary>
    public required IReadOnlyList<string> Instructions { get; init; }

    public required InstructionOrigin InstructionOrigin { get; init; }

    public required AnswerFormat Answer { get; init; }

    /// <summary>DARWIN's instruction JSON for this task, when the data folder has one.</summary>
    public string? DarwinInstructionFile { get; init; }

    /// <summary>Unanswerable examples seen in DARWIN's JSON, if any.</summary>
    public DistractorInfo? Distractors { get; init; }

    /// <summary>
    /// DARWIN writes inputs as " X\n"; only matbench_expt_gap's JSON has "X\n" without the space.
    /// </summary>
    public bool InputLeadingSpace { get; init; } = true;

    /// <summary>
    /// The task whose cross-validation folds this task's shared inputs follow (null: its own split).
    /// matbench_is_metal holds every matbench_expt_gap composition (a band gap of 0 is a metal): with
    /// independent folds a multi-task model must drop every band gap whose composition is in
    /// is_metal's test fold (and the reverse), about a fifth of each task's training part.
    /// </summary>
    public string? FoldsFollow { get; init; }

    public IReadOnlyList<ClassLabel> Classes => Answer is ClassAnswer c ? c.Classes : [];

    /// <summary>The input field text exactly as DARWIN's training data writes it.</summary>
    public string DarwinInput(string candidate) =>
        Input == InputField.DonorAcceptorInInstruction ? "" : (InputLeadingSpace ? " " : "") + candidate.Trim() + "\n";

    public override string ToString() => Name;
}
