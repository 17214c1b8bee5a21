using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DarwinGrid.Web.Security;

/// <summary>
/// Headers on every answer: no MIME sniffing, no referrer to other sites, a Content-Security-Policy
/// that the Blazor Server dashboard and MudBlazor work under, and HSTS over HTTPS to a non-loopback host.
/// </summary>
public static class SecurityHeaders
{
    public const string HstsValue = "max-age=31536000";

    /// <summary>
    /// Scripts only from this site (Blazor's and MudBlazor's files; no inline script, no eval) except the
    /// one inline handler App.razor uses to load the web font without blocking; inline styles, because
    /// MudBlazor sets style attributes; the circuit's WebSocket to this site; framing only by this site (as before).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; " +
        "script-src 'self' 'unsafe-hashes' 'sha256-MhtPZXr7+LpJUY5qtMutB+qWfQtMaPccfe7QXtCcEYc='; " +
        "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; " +
        "font-src 'self' data: https://fonts.gstatic.com; " +
        "img-src 'self' data:; " +
        "connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own form posts.
        headers["Referrer-Policy"] = "same-origin";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        if (context.Request.IsHttps && !TransportSecurity.IsLoopbackHost(context.Request.Host.Host))
            headers.StrictTransportSecurity = HstsValue;
        return next(context);
    });
}
