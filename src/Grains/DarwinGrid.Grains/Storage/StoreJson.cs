using System.Text.Json;
using System.Text.Json.Serialization;

namespace DarwinGrid.Grains.Storage;

/// <summary>JSON settings for the small JSON values the results store keeps in columns.</summary>
internal static class StoreJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
