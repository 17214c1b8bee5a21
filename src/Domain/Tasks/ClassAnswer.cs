namespace DarwinGrid.Domain.Tasks;

/// <summary>
/// A class answer: <c>" Yes, X is metal.\n"</c>, <c>" fcc\n"</c>, <c>"  It has high water stability
/// with low confidence.\n"</c>. Every answer starts with <see cref="CommonPrefix"/> followed by the
/// class's <see cref="ClassLabel.Option"/>; that is what an engine scores to get class probabilities.
/// </summary>
public sealed class ClassAnswer : AnswerFormat
{
    public ClassAnswer(IReadOnlyList<ClassLabel> classes, string commonPrefix = "")
    {
        if (classes.Count < 2)
            throw new ArgumentException("A classification task needs at least two classes.", nameof(classes));
        foreach (var label in classes)
        {
            if (!label.AnswerTemplate.StartsWith(commonPrefix + label.Option, StringComparison.Ordinal))
                throw new ArgumentException(
                    $"Class '{label.Name}': answer template '{label.AnswerTemplate}' does not start with prefix '{commonPrefix}' + option '{label.Option}'.",
                    nameof(classes));
        }
        var options = classes.Select(c => c.Option.Trim()).ToList();
        if (options.Distinct(StringComparer.OrdinalIgnoreCase).Count() != options.Count)
            throw new ArgumentException("Class options must differ.", nameof(classes));
        Classes = classes;
        CommonPrefix = commonPrefix;
    }

    public IReadOnlyList<ClassLabel> Classes { get; }

    /// <summary>Text all answers share before the class option ("" for Yes/No, <c>"  It has"</c> for water stability).</summary>
    public string CommonPrefix { get; }

    public override string Format(string input, TargetValue target, string? qualifier = null)
    {
        var index = target.AsClassIndex();
        if (index < 0 || index >= Classes.Count)
            throw new ArgumentOutOfRangeException(nameof(target), target, $"Class index {index} is outside 0..{Classes.Count - 1}.");
        var template = Classes[index].AnswerTemplate;
        if (template.Contains("{qualifier}", StringComparison.Ordinal) && string.IsNullOrWhiteSpace(qualifier))
            throw new ArgumentException($"The answer for class '{Classes[index].Name}' needs a qualifier.", nameof(qualifier));
        return template.Replace("{input}", input, StringComparison.Ordinal)
            .Replace("{qualifier}", qualifier ?? "", StringComparison.Ordinal);
    }

    public override AnswerParse Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return AnswerParse.Fail(AnswerParseFailure.Empty, "The answer is empty.");

        var answer = text.TrimStart();
        var prefix = CommonPrefix.Trim();
        // Longest options first so that no option can shadow a longer one that starts the same way.
        foreach (var (label, index) in Classes.Select((c, i) => (c, i)).OrderByDescending(p => p.c.Option.Length))
        {
            var option = label.Option.Trim();
            var full = prefix.Length == 0 ? option : prefix + " " + option;
            if (StartsWithWord(answer, full) || StartsWithWord(answer, option))
                return AnswerParse.Ok(new TargetValue.Class(index, label.Name));
        }
        return Failure(text, AnswerParseFailure.UnknownClass,
            "one of " + string.Join(", ", Classes.Select(c => $"'{c.Option.Trim()}'")));
    }

    public TargetValue.Class ClassNamed(string name)
    {
        for (var i = 0; i < Classes.Count; i++)
        {
            if (string.Equals(Classes[i].Name, name, StringComparison.OrdinalIgnoreCase))
                return new TargetValue.Class(i, Classes[i].Name);
        }
        throw new ArgumentException($"No class named '{name}'.", nameof(name));
    }

    /// <summary>The class a data-file cell denotes, or null when the cell matches none.</summary>
    public TargetValue.Class? ClassOfSourceValue(string cell)
    {
        var value = cell.Trim();
        for (var i = 0; i < Classes.Count; i++)
        {
            if (Classes[i].SourceValues.Any(v => string.Equals(v, value, StringComparison.OrdinalIgnoreCase)))
                return new TargetValue.Class(i, Classes[i].Name);
        }
        return null;
    }

    private static bool StartsWithWord(string answer, string word)
    {
        if (!answer.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            return false;
        if (answer.Length == word.Length)
            return true;
        var next = answer[word.Length];
        return !char.IsLetterOrDigit(next) && next != '-';
    }
}
