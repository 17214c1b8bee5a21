using System.Text.RegularExpressions;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// Compose's variable interpolation (<c>$$</c>, <c>$VAR</c>, <c>${VAR}</c>, <c>${VAR:-default}</c>,
/// <c>${VAR-default}</c>, <c>${VAR:?error}</c>, <c>${VAR?error}</c>) against a set of variables, recording
/// which variables were asked for and whether a default or an error message came with them.
/// </summary>
internal sealed partial class ComposeInterpolation(IReadOnlyDictionary<string, string> variables)
{
    private readonly Dictionary<string, VariableUse> _uses = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, VariableUse> Uses => _uses;

    public string Apply(string text, string where) => Pattern().Replace(text, match =>
    {
        if (match.Value == "$$")
            return "$";
        var name = match.Groups["bare"].Success ? match.Groups["bare"].Value : match.Groups["name"].Value;
        var op = match.Groups["op"].Value;
        var argument = match.Groups["arg"].Value;
        var set = variables.TryGetValue(name, out var value);
        var emptyCounts = op.StartsWith(':');
        var present = set && (!emptyCounts || value!.Length > 0);
        Record(name, op);
        return op.TrimStart(':') switch
        {
            "-" => present ? value! : argument,
            "?" => present ? value! : throw new InvalidOperationException($"{where}: required variable {name} is not set ({argument})."),
            "+" => present ? argument : "",
            _ => set ? value! : "",
        };
    });

    private void Record(string name, string op)
    {
        var kind = op.TrimStart(':') switch { "-" => VariableKind.Defaulted, "?" => VariableKind.Required, _ => VariableKind.Plain };
        _uses[name] = _uses.TryGetValue(name, out var previous) && previous.Kind != kind
            ? previous with { Kind = (VariableKind)Math.Max((int)previous.Kind, (int)kind) }
            : new VariableUse(name, kind);
    }

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:?[-?+])(?<arg>[^}]*))?\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Pattern();
}

internal enum VariableKind
{
    Defaulted,
    Plain,
    Required,
}

internal sealed record VariableUse(string Name, VariableKind Kind);
