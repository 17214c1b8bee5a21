using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;

namespace DarwinGrid.Web.Security;

/// <summary>
/// Whether a request may travel in clear text: only over loopback, to a loopback host name. Every
/// other request gets Secure cookies and (over HTTPS) HSTS, also when plain HTTP reaches us through a
/// TLS proxy: a browser that is not on this machine must not send the sign-in cookie without TLS.
/// A configured proxy's <c>X-Forwarded-Proto</c>/<c>-For</c> are applied before this is asked.
/// </summary>
public static class TransportSecurity
{
    public static bool IsLoopbackOnly(HttpContext context) =>
        !context.Request.IsHttps
        && IsLoopback(context.Connection.RemoteIpAddress)
        && IsLoopback(context.Connection.LocalIpAddress)
        && IsLoopbackHost(context.Request.Host.Host);

    public static bool IsLoopbackHost(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>A copy of <paramref name="cookie"/> whose cookies are Secure unless the request is <see cref="IsLoopbackOnly"/>.</summary>
    public static CookieBuilder SecureUnlessLoopback(CookieBuilder cookie) => new SecureUnlessLoopbackCookieBuilder
    {
        Name = cookie.Name,
        Path = cookie.Path,
        Domain = cookie.Domain,
        HttpOnly = cookie.HttpOnly,
        SameSite = cookie.SameSite,
        IsEssential = cookie.IsEssential,
        MaxAge = cookie.MaxAge,
        Expiration = cookie.Expiration,
        SecurePolicy = CookieSecurePolicy.SameAsRequest,
    };

    private static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address);

    private sealed class SecureUnlessLoopbackCookieBuilder : RequestPathBaseCookieBuilder
    {
        public override CookieOptions Build(HttpContext context, DateTimeOffset expiresFrom)
        {
            var options = base.Build(context, expiresFrom);
            options.Secure = !IsLoopbackOnly(context);
            return options;
        }
    }
}
