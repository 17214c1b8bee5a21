using Microsoft.AspNetCore.Http;

namespace DarwinGrid.Web.Api;

/// <summary>The API's error answers, all RFC 7807 problem details; a 400 names the fields in <c>errors</c>.</summary>
public static class ApiProblems
{
    public static IResult Invalid(string field, string message) => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    public static IResult Invalid(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors,
        detail: string.Join(" ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")).Truncate(2000),
        title: "The request is not valid.");

    public static IResult CampaignNotFound(string id) =>
        TypedResults.Problem($"Campaign '{id}' does not exist.", statusCode: StatusCodes.Status404NotFound, title: "Not found.");

    public static IResult Conflict(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status409Conflict, title: "Not possible in the campaign's state.");

    public static IResult Unavailable(string message) =>
        TypedResults.Problem(message, statusCode: StatusCodes.Status503ServiceUnavailable, title: "Unavailable.");

    /// <summary>A body the server would not read (413 over the size limit, 400 when malformed on the wire).</summary>
    public static IResult BodyRefused(int status, string message) => TypedResults.Problem(message, statusCode: status,
        title: status == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request body could not be read.");

    private static string Truncate(this string text, int length) => text.Length <= length ? text : text[..length] + "…";
}

/// <summary>Collects field errors, keyed by the JSON name (<c>compositions[3]</c>, <c>filters[0]</c>).</summary>
public sealed class FieldErrors
{
    /// <summary>Rows listed one by one before the rest are summarised.</summary>
    public const int MaxListed = 50;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public int Count => _errors.Count;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
            _errors[field] = list = [];
        list.Add(message);
    }

    public IDictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public IResult ToResult() => ApiProblems.Invalid(ToDictionary());
}
