using System.Text.Json;
using System.Text.Json.Serialization;

namespace DarwinGrid.Grains.Storage;

/// <summary>How grain state becomes JSON when no serializer options are configured.</summary>
public static class GrainStateJson
{
    /// <summary>
    /// camelCase, case-insensitive on read, public fields included, NaN/Infinity allowed, enums as
    /// numbers (the API's enum values are explicit and stable; member names may be renamed).
    /// </summary>
    public static JsonSerializerOptions DefaultOptions { get; } = CreateDefault();

    private static JsonSerializerOptions CreateDefault()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        };
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
