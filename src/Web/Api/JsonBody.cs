using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Api;

/// <summary>
/// Reads a JSON request body with the app's JSON options and turns every way it can be wrong (not
/// JSON, malformed, a value of the wrong type, an unknown member) into a 400 naming the field, and a
/// body the server will not read whole (over Kestrel's size limit, a broken chunked encoding) into the
/// status Kestrel gives it (413, 400).
/// </summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : class
    {
        if (!request.HasJsonContentType())
            return (null, ApiProblems.Invalid("body", "Send the body as JSON with the header Content-Type: application/json."));
        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return value is null ? (null, ApiProblems.Invalid("body", "The body is empty or null; send a JSON object.")) : (value, null);
        }
        catch (JsonException e)
        {
            var field = FieldOf(e.Path);
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            return (null, ApiProblems.Invalid(field, $"Invalid JSON{where}: {FirstSentence(e.Message)}"));
        }
        catch (BadHttpRequestException e)
        {
            return (null, ApiProblems.BodyRefused(e.StatusCode, e.Message));
        }
    }

    /// <summary><c>$.tasks[1]</c> → <c>tasks[1]</c>; the root → <c>body</c>.</summary>
    public static string FieldOf(string? path) =>
        path is null or "$" or "" ? "body" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    // System.Text.Json appends "Path: ... | LineNumber: ..." which the field and position already say.
    private static string FirstSentence(string message) => message.Split(" Path: ", 2)[0].Trim();
}
