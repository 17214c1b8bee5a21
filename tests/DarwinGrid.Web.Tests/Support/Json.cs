using System.Text.Json;
using System.Text.Json.Serialization;

namespace DarwinGrid.Web.Tests.Support;

/// <summary>The API's JSON conventions (web defaults, enums as strings).</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };
}
