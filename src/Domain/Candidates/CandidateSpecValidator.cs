namespace DarwinGrid.Domain.Candidates;

/// <summary>Checks a spec's names, sets, ranges and template, whoever built it (the text parser or the grain layer).</summary>
internal static class CandidateSpecValidator
{
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        CandidateSpecParser.NeutralKeyword, CandidateSpecParser.DistinctKeyword, CandidateSpecParser.LimitKeyword,
    };

    /// <exception cref="CandidateSpecException">The first problem found, named.</exception>
    public static CompositionTemplate Validate(CandidateGenerationSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var site in spec.Sites)
        {
            CheckName(site.Name, "site", names);
            if (site.Elements.Count == 0)
                throw new CandidateSpecException($"Site '{site.Name}' has no elements.");
        }
        foreach (var variable in spec.Variables)
        {
            CheckName(variable.Name, "variable", names);
            _ = variable.Count;
        }
        if (spec.Limit is <= 0)
            throw new CandidateSpecException($"The limit must be positive, not {spec.Limit}.");

        var template = CompositionTemplate.Parse(spec.Template, [.. spec.Sites.Select(s => s.Name)], [.. spec.Variables.Select(v => v.Name)]);
        var usedSites = template.Terms.Where(t => t.IsSite).Select(t => t.SiteIndex).ToHashSet();
        var unusedSite = spec.Sites.Where((_, index) => !usedSites.Contains(index)).FirstOrDefault();
        if (unusedSite is not null)
            throw new CandidateSpecException(
                $"Site '{unusedSite.Name}' is defined but template '{spec.Template}' never uses it (write it as {{{unusedSite.Name}}}).");
        var usedVariables = template.Terms.SelectMany(t => VariablesOf(t.Amount)).ToHashSet();
        var unusedVariable = spec.Variables.Where((_, index) => !usedVariables.Contains(index)).FirstOrDefault();
        if (unusedVariable is not null)
            throw new CandidateSpecException(
                $"Variable '{unusedVariable.Name}' is defined but template '{spec.Template}' never uses it (write e.g. Sr{{{unusedVariable.Name}}}).");
        return template;
    }

    /// <summary>Whether <paramref name="name"/> is a usable site or variable name (letters, digits, '_', starting with a letter).</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static void CheckName(string name, string kind, HashSet<string> seen)
    {
        if (!IsValidName(name))
            throw new CandidateSpecException($"'{name}' is not a valid {kind} name: use letters, digits and '_', starting with a letter.");
        if (Reserved.Contains(name))
            throw new CandidateSpecException($"'{name}' is a keyword and cannot name a {kind}.");
        if (!seen.Add(name))
            throw new CandidateSpecException($"'{name}' is defined twice.");
    }

    private static IEnumerable<int> VariablesOf(AmountExpression expression) => expression switch
    {
        AmountExpression.Variable v => [v.Index],
        AmountExpression.Negation n => VariablesOf(n.Operand),
        AmountExpression.Binary b => VariablesOf(b.Left).Concat(VariablesOf(b.Right)),
        _ => [],
    };
}
