namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>A compose <c>.env</c> file: <c>NAME=value</c> lines, <c>#</c> comments, optional quotes.</summary>
internal static class DotEnvFile
{
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var equals = line.IndexOf('=');
            if (equals <= 0)
                throw new FormatException($"{path}:{lineNumber}: expected NAME=value, got '{raw}'.");
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
                value = value[1..^1];
            values[line[..equals].Trim()] = value;
        }
        return values;
    }
}
