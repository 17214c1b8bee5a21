using System.Text.RegularExpressions;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// A Dockerfile read into stages and instructions (line continuations joined, comments and parser
/// directives dropped). Enough to check what the image runs, as whom, with which environment.
/// </summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Final => Stages[^1];

    public static Dockerfile Load(string path)
    {
        var stages = new List<DockerStage>();
        var pending = "";
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.TrimEnd();
            if (pending.Length == 0 && line.TrimStart().StartsWith('#'))
                continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var text = (pending + line).Trim();
            pending = "";
            if (text.Length == 0)
                continue;
            var space = text.IndexOf(' ');
            var keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : text[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var parts = Regex.Split(arguments, @"\s+");
                var alias = parts.Length >= 3 && parts[^2].Equals("AS", StringComparison.OrdinalIgnoreCase) ? parts[^1] : null;
                stages.Add(new DockerStage(parts.First(p => !p.StartsWith("--", StringComparison.Ordinal)), alias, []));
            }
            else if (stages.Count == 0)
            {
                if (keyword != "ARG")
                    throw new FormatException($"{path}: {keyword} before the first FROM.");
            }
            else
            {
                stages[^1].Instructions.Add(new DockerInstruction(keyword, arguments));
            }
        }
        if (stages.Count == 0)
            throw new FormatException($"{path}: no FROM.");
        return new Dockerfile(path, stages);
    }

    /// <summary>The <c>ENV</c> of a stage, in <c>NAME=value ...</c> or legacy <c>NAME value</c> form.</summary>
    public static IReadOnlyDictionary<string, string> Environment(DockerStage stage)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var instruction in stage.Instructions.Where(i => i.Keyword == "ENV"))
        {
            if (!instruction.Arguments.Contains('=', StringComparison.Ordinal))
            {
                var parts = instruction.Arguments.Split(' ', 2);
                env[parts[0]] = parts.Length > 1 ? parts[1].Trim() : "";
                continue;
            }
            foreach (Match m in EnvPair().Matches(instruction.Arguments))
                env[m.Groups["name"].Value] = m.Groups["value"].Value.Trim('"');
        }
        return env;
    }

    /// <summary>An exec-form (JSON array) instruction's arguments, e.g. ENTRYPOINT / CMD.</summary>
    public static IReadOnlyList<string> ExecForm(DockerInstruction instruction) =>
        System.Text.Json.JsonSerializer.Deserialize<string[]>(instruction.Arguments)
        ?? throw new FormatException($"{instruction.Keyword} is not in exec form: {instruction.Arguments}");

    [GeneratedRegex("(?<name>[A-Za-z_][A-Za-z0-9_]*)=(?<value>\"[^\"]*\"|\\S*)")]
    private static partial Regex EnvPair();
}

internal sealed record DockerStage(string BaseImage, string? Alias, List<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) => Instructions.Where(i => i.Keyword == keyword);

    public DockerInstruction? Last(string keyword) => Instructions.LastOrDefault(i => i.Keyword == keyword);
}

internal sealed record DockerInstruction(string Keyword, string Arguments);
