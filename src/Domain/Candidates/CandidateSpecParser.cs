using System.Globalization;
using DarwinGrid.Domain.Elements;

namespace DarwinGrid.Domain.Candidates;

/// <summary>
/// Reads the one-line spec of the CLI and dashboard, clauses separated by ';' (or new lines):
/// <code>
/// {A}2{B}{X}4; A=alkali; B=Ge,Sn; X=S,Se,Te; neutral
/// Ba{1-x}Sr{x}TiO3; x=0..0.5:0.1
/// </code>
/// The first clause is the template (see <c>TEMPLATE-SYNTAX.md</c>). The others, in any order:
/// <list type="bullet">
/// <item><c>NAME=items</c>: a site and its elements, comma-separated element symbols (case-sensitive) and
///   group names (<see cref="ElementGroups"/>, case-insensitive), in order; <c>-item</c> removes
///   (<c>A=alkali,-Fr</c>);</item>
/// <item><c>NAME=from..to:step</c> or <c>NAME=value</c>: a doping variable (<see cref="DopingSeries"/>);
///   a definition whose value starts with a digit, '.' or '-digit' is a variable (unless it starts with
///   a group name such as <c>3d</c>);</item>
/// <item><c>neutral</c>: charge-neutral only; <c>distinct</c>: no element twice; <c>limit=N</c>: at most N candidates.</item>
/// </list>
/// Every site and variable must be used by the template and every placeholder defined.
/// </summary>
public static class CandidateSpecParser
{
    public const string NeutralKeyword = "neutral";
    public const string DistinctKeyword = "distinct";
    public const string LimitKeyword = "limit";

    /// <summary>The spec text <see cref="Parse"/> reads: template, site and variable definitions, then the flags, joined by "; ".</summary>
    public static string Compose(string template, IEnumerable<string> definitions, bool requireChargeNeutral, bool distinctElements, long? limit)
    {
        var clauses = new List<string> { template };
        clauses.AddRange(definitions);
        if (requireChargeNeutral)
            clauses.Add(NeutralKeyword);
        if (distinctElements)
            clauses.Add(DistinctKeyword);
        if (limit is { } value)
            clauses.Add($"{LimitKeyword}={value}");
        return string.Join("; ", clauses);
    }

    /// <exception cref="CandidateSpecException">The first problem, naming the clause and what is wrong.</exception>
    public static CandidateGenerationSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clauses = text.Split([';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (clauses.Length == 0)
            throw new CandidateSpecException("The spec is empty; start with a template such as '{A}2{B}{X}4; A=alkali; B=Ge,Sn; X=S,Se,Te'.");
        var template = clauses[0];
        if (template.Contains('='))
            throw new CandidateSpecException($"The spec must start with the template, not the definition '{template}'.");

        var sites = new List<SiteElements>();
        var variables = new List<DopingSeries>();
        var neutral = false;
        var distinct = false;
        long? limit = null;
        for (var i = 1; i < clauses.Length; i++)
        {
            var clause = clauses[i];
            var where = $"Clause {i + 1} '{clause}'";
            if (clause.Equals(NeutralKeyword, StringComparison.OrdinalIgnoreCase))
            {
                neutral = true;
                continue;
            }
            if (clause.Equals(DistinctKeyword, StringComparison.OrdinalIgnoreCase))
            {
                distinct = true;
                continue;
            }
            var equals = clause.IndexOf('=');
            var name = (equals < 0 ? clause : clause[..equals]).Trim();
            if (equals >= 0 ? name.Equals(LimitKeyword, StringComparison.OrdinalIgnoreCase) : clause.StartsWith(LimitKeyword + " ", StringComparison.OrdinalIgnoreCase))
            {
                limit = ParseLimit((equals >= 0 ? clause[(equals + 1)..] : clause[LimitKeyword.Length..]).Trim(), where);
                continue;
            }
            if (equals < 0)
                throw new CandidateSpecException(
                    $"{where} is neither a definition (NAME=elements or NAME=from..to:step) nor one of '{NeutralKeyword}', '{DistinctKeyword}', '{LimitKeyword}=N'.");
            var value = clause[(equals + 1)..].Trim();
            if (name.Length == 0)
                throw new CandidateSpecException($"{where} has no name before '='.");
            if (value.Length == 0)
                throw new CandidateSpecException($"{where} defines '{name}' as nothing; list elements (A=Li,Na) or give a range (x=0..0.5:0.1).");
            if (LooksNumeric(value) && !ElementGroups.TryGet(value.Split(',')[0].Trim(), out _))
                variables.Add(ParseVariable(name, value, where));
            else
                sites.Add(new SiteElements(name, ParseElementSet(value, where)));
        }

        var spec = new CandidateGenerationSpec(template, sites, variables, neutral, distinct, limit);
        CandidateSpecValidator.Validate(spec);
        return spec;
    }

    private static bool LooksNumeric(string value) =>
        char.IsAsciiDigit(value[0]) || value[0] == '.' || (value[0] == '-' && value.Length > 1 && (char.IsAsciiDigit(value[1]) || value[1] == '.'));

    private static long ParseLimit(string value, string where) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            ? limit
            : throw new CandidateSpecException($"{where}: the limit must be a positive whole number, not '{value}'.");

    private static DopingSeries ParseVariable(string name, string value, string where)
    {
        var dots = value.IndexOf("..", StringComparison.Ordinal);
        if (dots < 0)
        {
            if (value.Contains(':'))
                throw new CandidateSpecException($"{where}: a step needs a range; write {name}=from..to:step.");
            return DopingSeries.Single(name, Number(value, where, "value"));
        }
        var from = Number(value[..dots], where, "start");
        var rest = value[(dots + 2)..];
        var colon = rest.IndexOf(':');
        if (colon < 0)
            throw new CandidateSpecException($"{where}: the range has no step; write {name}={value}:STEP (e.g. :0.1).");
        var to = Number(rest[..colon], where, "end");
        var step = Number(rest[(colon + 1)..], where, "step");
        var series = new DopingSeries(name, from, to, step);
        try
        {
            _ = series.Count;
        }
        catch (CandidateSpecException e)
        {
            throw new CandidateSpecException($"{where}: {e.Message}");
        }
        return series;
    }

    private static decimal Number(string text, string where, string role) =>
        decimal.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new CandidateSpecException($"{where}: the range {role} '{text.Trim()}' is not a number.");

    private static List<Element> ParseElementSet(string value, string where)
    {
        var elements = new List<Element>();
        foreach (var raw in value.Split(','))
        {
            var item = raw.Trim();
            var exclude = item.StartsWith('-');
            if (exclude)
                item = item[1..].TrimStart();
            if (item.Length == 0)
                throw new CandidateSpecException($"{where} has an empty item in its element list.");
            var members = Resolve(item, where);
            if (exclude)
                elements.RemoveAll(members.Contains);
            else
                elements.AddRange(members.Where(e => !elements.Contains(e)));
        }
        if (elements.Count == 0)
            throw new CandidateSpecException($"{where} leaves no elements.");
        return elements;
    }

    private static IReadOnlyList<Element> Resolve(string item, string where)
    {
        if (PeriodicTable.TryGetBySymbol(item, out var element))
            return [element];
        if (ElementGroups.TryGet(item, out var group))
            return group;
        var capitalised = item.Length is 1 or 2 ? char.ToUpperInvariant(item[0]) + item[1..].ToLowerInvariant() : null;
        var hint = capitalised is not null && PeriodicTable.TryGetBySymbol(capitalised, out _)
            ? $" (symbols are case-sensitive: did you mean '{capitalised}'?)"
            : $". Groups: {string.Join(", ", ElementGroups.Names.Where(n => !n.StartsWith("group-", StringComparison.Ordinal)))}, group-1..group-18";
        throw new CandidateSpecException($"{where}: '{item}' is neither an element symbol nor an element group{hint}.");
    }
}
