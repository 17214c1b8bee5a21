using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DarwinGrid.Deploy.Tests.Support;

/// <summary>
/// YAML documents as plain trees (<see cref="Dictionary{TKey,TValue}"/> for mappings, lists for
/// sequences, strings for scalars), with merge keys (<c>&lt;&lt;: *anchor</c>) resolved and an optional
/// rewrite of every scalar value (compose interpolation).
/// </summary>
internal static class YamlTree
{
    public static List<Dictionary<string, object?>> LoadDocuments(string path, Func<string, string, string>? scalar = null)
    {
        using var reader = new StreamReader(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new MergingParser(new Parser(reader)));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{path}: {e.Message} (line {e.Start.Line})", e);
        }
        return [.. stream.Documents.Where(d => d.RootNode is not YamlScalarNode { Value: null or "" })
            .Select(d => d.RootNode as YamlMappingNode ?? throw new FormatException($"{path}: a document is not a mapping (line {d.RootNode.Start.Line})."))
            .Select(root => (Dictionary<string, object?>)Convert(root, path, "", scalar)!)];
    }

    private static object? Convert(YamlNode node, string path, string at, Func<string, string, string>? scalar) => node switch
    {
        YamlMappingNode map => map.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value ?? throw new FormatException($"{path}: empty key at {at}"),
            pair => Convert(pair.Value, path, $"{at}/{((YamlScalarNode)pair.Key).Value}", scalar),
            StringComparer.Ordinal),
        YamlSequenceNode sequence => sequence.Children.Select((child, i) => Convert(child, path, $"{at}/{i}", scalar)).ToList(),
        YamlScalarNode { Value: null } => null,
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "null" or "~" or "" } => null,
        YamlScalarNode s => scalar is null ? s.Value : scalar(s.Value!, $"{path}{at}"),
        _ => throw new FormatException($"{path}: unsupported node at {at}"),
    };

    public static Dictionary<string, object?>? Map(this Dictionary<string, object?> node, string key) =>
        node.TryGetValue(key, out var value) ? value as Dictionary<string, object?> ?? throw new FormatException($"'{key}' is not a mapping") : null;

    public static List<object?>? List(this Dictionary<string, object?> node, string key) =>
        node.TryGetValue(key, out var value) ? value as List<object?> ?? throw new FormatException($"'{key}' is not a sequence") : null;

    public static string? Str(this Dictionary<string, object?> node, string key) =>
        node.TryGetValue(key, out var value) ? value as string ?? throw new FormatException($"'{key}' is not a scalar") : null;

    public static IEnumerable<Dictionary<string, object?>> Maps(this Dictionary<string, object?> node, string key) =>
        node.List(key)?.Cast<Dictionary<string, object?>>() ?? [];

    /// <summary>A scalar or a sequence of scalars (compose's <c>command</c>, a healthcheck's <c>test</c>).</summary>
    public static IReadOnlyList<string> Strings(this Dictionary<string, object?> node, string key) => node.TryGetValue(key, out var value)
        ? value switch
        {
            null => [],
            string s => [s],
            List<object?> items => [.. items.Select(i => i as string ?? throw new FormatException($"'{key}' holds a non-scalar"))],
            _ => throw new FormatException($"'{key}' is neither a scalar nor a sequence"),
        }
        : [];
}
