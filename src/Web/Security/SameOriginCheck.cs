using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Web.Security;

/// <summary>
/// The CSRF defence for everything a cookie can authorise: a state change (POST, PUT, PATCH, DELETE)
/// or a WebSocket (the dashboard's circuit) from a browser must come from this site's own origin. The
/// <c>Origin</c> header decides, else <c>Sec-Fetch-Site</c>; other ports of the same host are other
/// origins (SameSite=Strict does not cover them). A request carrying the sign-in cookie with neither
/// header is refused too: non-browser clients use an API key. Calls with <c>X-Api-Key</c> are not
/// affected (a page on another site cannot send that header without a CORS preflight, which fails).
/// </summary>
public static class SameOriginCheck
{
    public static IApplicationBuilder UseSameOriginCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Refusal(context.Request) is { } reason)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SameOriginCheck).FullName!)
                .LogWarning("{Method} {Path} refused: {Reason}", context.Request.Method, context.Request.Path, reason);
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(reason);
            return;
        }
        await next(context);
    });

    /// <summary>Why the request is refused, or null when it may go on.</summary>
    public static string? Refusal(HttpRequest request)
    {
        if (!(IsStateChange(request.Method) || IsWebSocket(request)) || request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName))
            return null;
        var origin = request.Headers.Origin;
        if (origin.Count > 0)
            return origin.Count == 1 && IsOwnOrigin(origin.ToString(), request) ? null : $"Cross-origin request refused: Origin '{origin}' is not this site.";
        var site = request.Headers["Sec-Fetch-Site"];
        if (site.Count > 0)
            return site.ToString() is "same-origin" or "none" ? null : $"Cross-origin request refused: Sec-Fetch-Site is '{site}'.";
        return request.Cookies.ContainsKey(DashboardAuthentication.CookieName)
            ? "A change authorised by the sign-in cookie must come from the dashboard (with an Origin header); other clients use the X-Api-Key header."
            : null;
    }

    private static bool IsStateChange(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static bool IsWebSocket(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Same host and port as the request's Host header. The scheme must match too when the request is
    /// HTTPS; over plain HTTP it may be https (a TLS proxy in front that is not configured as one).
    /// </summary>
    private static bool IsOwnOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/")
            return false;
        if (request.IsHttps && uri.Scheme != "https")
            return false;
        var host = request.Host;
        if (!host.HasValue)
            return false;
        var port = host.Port ?? (uri.Scheme == "https" ? 443 : 80);
        return string.Equals(uri.IdnHost.Trim('[', ']'), host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && uri.Port == port;
    }
}
