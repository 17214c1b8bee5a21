using System.Globalization;
using System.Text.RegularExpressions;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Screening;

/// <summary>
/// Reads filters and objectives as the CLI and dashboard write them. Properties are catalog task names
/// or <see cref="TaskAliases"/>; keywords ignore case; numbers are invariant (<c>1.5</c>, <c>1e3</c>) and
/// may be followed by the task's unit (<c>1.1 eV</c>). Several items are separated by ';' or new lines.
/// <list type="bullet">
/// <item>Filters on a regression task: <c>band_gap between 1.1 and 1.8</c>, <c>yield_strength &gt;= 1000</c>,
///   <c>&lt;=</c>, <c>at least</c>, <c>at most</c> (<c>&gt;</c> and <c>&lt;</c> read as <c>&gt;=</c>/<c>&lt;=</c>:
///   a predicted number is continuous, so strictness makes no difference).</item>
/// <item>Filters on a classification task: <c>pei_phase is bcc</c>, <c>is_metal = false</c>,
///   <c>is_metal is not true</c>, <c>!=</c> (classes as <see cref="TaskLabels"/> reads them).</item>
/// <item>Objectives: <c>maximize band_gap</c>, <c>minimize yield_strength</c>, <c>band_gap target 1.4</c>,
///   <c>maximize is_metal:No</c> (the probability of a class; a binary task defaults to its positive class,
///   a multi-class task needs one), each with an optional weight <c>*2</c> at the end (default 1).</item>
/// </list>
/// </summary>
public static partial class ScreeningParser
{
    /// <exception cref="ScreeningParseException">The text is not a filter; the message says why.</exception>
    public static ScreeningFilter ParseFilter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            throw new ScreeningParseException("The filter is empty; write e.g. 'band_gap between 1.1 and 1.8' or 'is_metal = false'.");

        if (BetweenPattern().Match(trimmed) is { Success: true } between)
        {
            var task = RegressionTask(between.Groups["task"].Value, trimmed);
            var low = Number(between.Groups["low"].Value, task, trimmed);
            var high = Number(between.Groups["high"].Value, task, trimmed);
            if (low > high)
                throw new ScreeningParseException($"Filter '{trimmed}': the lower bound {Format(low)} is above the upper bound {Format(high)}.");
            return new ScreeningFilter(task.Name, ScreeningFilterOperator.Between, low, high);
        }
        if (ComparisonPattern().Match(trimmed) is { Success: true } comparison)
            return Comparison(comparison.Groups["task"].Value, WhitespacePattern().Replace(comparison.Groups["op"].Value.ToLowerInvariant(), " "), comparison.Groups["value"].Value.Trim(), trimmed);

        throw new ScreeningParseException(
            $"Filter '{trimmed}' is not understood; write '<property> between <low> and <high>', '<property> >= <number>', " +
            "'<property> <= <number>', '<property> is <class>' or '<property> = <class>'.");
    }

    /// <exception cref="ScreeningParseException">The text is not an objective; the message says why.</exception>
    public static ScreeningObjective ParseObjective(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
            throw new ScreeningParseException("The objective is empty; write e.g. 'maximize band_gap' or 'band_gap target 1.4'.");

        var body = trimmed;
        var weight = 1.0;
        if (WeightPattern().Match(trimmed) is { Success: true } weighted)
        {
            body = weighted.Groups["body"].Value.Trim();
            var weightText = weighted.Groups["weight"].Value;
            if (!double.TryParse(weightText, NumberStyles.Float, CultureInfo.InvariantCulture, out weight) || !double.IsFinite(weight) || weight <= 0)
                throw new ScreeningParseException($"Objective '{trimmed}': the weight '{weightText}' must be a positive number.");
        }

        if (GoalPattern().Match(body) is { Success: true } goal)
        {
            var direction = goal.Groups["goal"].Value.StartsWith("max", StringComparison.OrdinalIgnoreCase) ? ScreeningGoal.Maximize : ScreeningGoal.Minimize;
            var (task, label) = Subject(goal.Groups["subject"].Value, trimmed);
            return new ScreeningObjective(task.Name, direction, null, weight, label);
        }
        if (TargetPattern().Match(body) is { Success: true } target)
        {
            var (task, label) = Subject(target.Groups["subject"].Value, trimmed);
            if (task.Kind != TaskKind.Regression)
                throw new ScreeningParseException(
                    $"Objective '{trimmed}': '{task.Name}' is a classification task; a target needs a number. Rank by a class probability with 'maximize {task.Name}:<class>'.");
            if (label is not null)
                throw new ScreeningParseException($"Objective '{trimmed}': ':{label}' names a class, but '{task.Name}' predicts a number.");
            return new ScreeningObjective(task.Name, ScreeningGoal.Target, Number(target.Groups["value"].Value, task, trimmed), weight);
        }
        throw new ScreeningParseException(
            $"Objective '{trimmed}' is not understood; write 'maximize <property>', 'minimize <property>', '<property> target <number>' " +
            "or 'maximize <property>:<class>', optionally followed by a weight such as '*2'.");
    }

    /// <summary>Filters separated by ';' or new lines (empty items are skipped).</summary>
    public static IReadOnlyList<ScreeningFilter> ParseFilters(string text) => [.. Items(text).Select(ParseFilter)];

    /// <summary>Objectives separated by ';' or new lines (empty items are skipped).</summary>
    public static IReadOnlyList<ScreeningObjective> ParseObjectives(string text) => [.. Items(text).Select(ParseObjective)];

    private static IEnumerable<string> Items(string text) =>
        text.Split([';', '\n'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static ScreeningFilter Comparison(string taskName, string op, string value, string text)
    {
        var task = Task(taskName, text);
        if (task.Kind == TaskKind.Regression)
        {
            return op switch
            {
                ">=" or ">" or "at least" => new ScreeningFilter(task.Name, ScreeningFilterOperator.AtLeast, Low: Number(value, task, text)),
                "<=" or "<" or "at most" => new ScreeningFilter(task.Name, ScreeningFilterOperator.AtMost, High: Number(value, task, text)),
                _ => throw new ScreeningParseException(
                    $"Filter '{text}': '{task.Name}' predicts a number{UnitSuffix(task)}, which is never exactly '{op} {value}'; " +
                    $"use 'between <low> and <high>', '>=' or '<=' (or rank by closeness with an objective '{task.Name} target <number>')."),
            };
        }

        if (op is not ("=" or "==" or "is" or "!=" or "is not"))
            throw new ScreeningParseException(
                $"Filter '{text}': '{task.Name}' is a classification task (classes: {TaskLabels.Describe(task)}); " +
                $"filter it with '{taskName} is <class>' or '{taskName} is not <class>', not '{op}'.");
        var label = TaskLabels.TryResolve(task, value) ?? throw new ScreeningParseException(
            $"Filter '{text}': '{value}' is not a class of '{task.Name}'; classes: {TaskLabels.Describe(task)}.");
        var isNot = op is "!=" or "is not";
        return new ScreeningFilter(task.Name, isNot ? ScreeningFilterOperator.IsNot : ScreeningFilterOperator.Is, Label: label);
    }

    private static (PropertyTask Task, string? Label) Subject(string subject, string text)
    {
        var colon = subject.IndexOf(':');
        var task = Task(colon < 0 ? subject : subject[..colon], text);
        if (colon < 0)
        {
            return task.Kind switch
            {
                TaskKind.Regression => (task, null),
                TaskKind.Binary => (task, TaskLabels.Positive(task)),
                _ => throw new ScreeningParseException(
                    $"Objective '{text}': '{task.Name}' has several classes; name the one whose probability to rank, e.g. '{subject}:{task.Classes[0].Name}' (classes: {TaskLabels.Describe(task)})."),
            };
        }
        var labelText = subject[(colon + 1)..].Trim();
        if (task.Kind == TaskKind.Regression)
            throw new ScreeningParseException($"Objective '{text}': ':{labelText}' names a class, but '{task.Name}' predicts a number.");
        var label = TaskLabels.TryResolve(task, labelText) ?? throw new ScreeningParseException(
            $"Objective '{text}': '{labelText}' is not a class of '{task.Name}'; classes: {TaskLabels.Describe(task)}.");
        return (task, label);
    }

    private static PropertyTask Task(string name, string text) =>
        TaskAliases.TryResolve(name) ?? throw new ScreeningParseException(
            $"'{text}': unknown property '{name.Trim()}'. Aliases: {string.Join(", ", TaskAliases.All.Keys)}; or a task name: {string.Join(", ", TaskCatalog.All.Select(t => t.Name))}.");

    private static PropertyTask RegressionTask(string name, string text)
    {
        var task = Task(name, text);
        return task.Kind == TaskKind.Regression
            ? task
            : throw new ScreeningParseException(
                $"Filter '{text}': '{task.Name}' is a classification task (classes: {TaskLabels.Describe(task)}); numeric bounds need a regression task. Use '{name} is <class>'.");
    }

    /// <summary>A finite number, optionally followed by the task's unit.</summary>
    private static double Number(string text, PropertyTask task, string whole)
    {
        var value = text.Trim();
        var space = value.IndexOf(' ');
        if (space > 0)
        {
            var unit = value[(space + 1)..].Trim();
            if (task.Unit.Length == 0 || !string.Equals(unit, task.Unit, StringComparison.OrdinalIgnoreCase))
                throw new ScreeningParseException(
                    $"'{whole}': unexpected '{unit}' after {value[..space]}; '{task.Name}' is {(task.Unit.Length == 0 ? "unitless" : $"in {task.Unit}")}.");
            value = value[..space];
        }
        return double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new ScreeningParseException($"'{whole}': '{value}' is not a number.");
    }

    private static string UnitSuffix(PropertyTask task) => task.Unit.Length == 0 ? "" : $" in {task.Unit}";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<task>\S+)\s+between\s+(?<low>\S+(\s+[^\s\d-][^\s]*)?)\s+and\s+(?<high>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex BetweenPattern();

    [GeneratedRegex(@"^(?<task>[^\s<>=!]+)\s*(?<op>>=|<=|==|!=|>|<|=|\bis\s+not\b|\bis\b|\bat\s+least\b|\bat\s+most\b)\s*(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex ComparisonPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"^(?<body>.*?)\s*\*\s*(?<weight>[^\s*]+)$")]
    private static partial Regex WeightPattern();

    [GeneratedRegex(@"^(?<goal>maximi[sz]e|minimi[sz]e|max|min)\s+(?<subject>\S+)$", RegexOptions.IgnoreCase)]
    private static partial Regex GoalPattern();

    [GeneratedRegex(@"^(?<subject>\S+)\s+target\s+(?<value>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex TargetPattern();
}
