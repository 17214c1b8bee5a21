using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Web.Security;

/// <summary>
/// Sign-in and sign-out. The login page is static server rendering (an interactive page cannot set a
/// cookie) and posts its form here with an antiforgery token; the answer is a redirect either way.
/// </summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/login";
    public const string LoginPostPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").AllowAnonymous().ExcludeFromDescription();
        account.MapPost("/login", LoginAsync);
        account.MapPost("/logout", LogoutAsync).WithMetadata(new RequireAntiforgeryTokenAttribute());
        return app;
    }

    /// <summary>The form the login page posts.</summary>
    public sealed class LoginForm
    {
        public string? UserName { get; set; }
        public string? Password { get; set; }
        public string? ReturnUrl { get; set; }
    }

    private static async Task<IResult> LoginAsync([FromForm] LoginForm form, HttpContext context, DashboardUserStore users, LoginThrottle throttle,
        TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(AccountEndpoints).FullName!);
        var returnUrl = SafeReturnUrl(form.ReturnUrl);
        var name = (form.UserName ?? "").Trim();
        // Behind a configured proxy this is the client's address (forwarded headers ran first).
        var address = context.Connection.RemoteIpAddress;
        var attempt = throttle.Begin(name, address);
        if (attempt.Refused)
        {
            logger.LogWarning("Sign-in for '{User}' from {Address} refused: too many failures", name, address);
            return Results.Redirect(LoginUrl(returnUrl, "throttled", (int)Math.Ceiling(attempt.RetryAfter.TotalMinutes)));
        }
        if (attempt.Delay > TimeSpan.Zero)
            await Task.Delay(attempt.Delay, time, context.RequestAborted);
        if (users.Verify(name, form.Password) is not { } user)
        {
            logger.LogWarning("Failed sign-in for '{User}' from {Address}", name, address);
            return Results.Redirect(LoginUrl(returnUrl, "invalid"));
        }
        attempt.Succeeded();
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            DashboardClaims.Principal(user.Name, user.Role, CookieAuthenticationDefaults.AuthenticationScheme),
            new AuthenticationProperties { IsPersistent = false });
        logger.LogInformation("{User} signed in ({Role}) from {Address}", user.Name, user.Role, address);
        return Results.LocalRedirect(returnUrl);
    }

    private static async Task<IResult> LogoutAsync(HttpContext context, ILoggerFactory loggers)
    {
        // The middleware validates the token; only form binding would act on a failure, and this endpoint binds no form.
        if (context.Features.Get<IAntiforgeryValidationFeature>() is { IsValid: false })
            return Results.BadRequest();
        if (context.User.Identity?.IsAuthenticated == true)
            loggers.CreateLogger(typeof(AccountEndpoints).FullName!).LogInformation("{User} signed out", context.User.Identity.Name);
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect(LoginPath);
    }

    /// <summary>
    /// A path on this site, or "/" (never another host: no open redirects). Browsers drop tabs and
    /// line breaks from URLs and read '\\' as '/', so <c>"/\t/evil.example"</c> would be
    /// <c>//evil.example</c>; and a Location header holds ASCII only (Kestrel refuses the rest with a 500).
    /// So anything but printable ASCII without backslash makes it "/" (our paths need nothing else).
    /// </summary>
    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 0 and <= MaxReturnUrlLength } && url[0] == '/' && (url.Length == 1 || url[1] != '/')
        && url.All(c => c is > ' ' and < '\x7f' and not '\\') && !url.Contains("://", StringComparison.Ordinal)
            ? url
            : "/";

    private const int MaxReturnUrlLength = 2048;

    public static string LoginUrl(string returnUrl, string? error = null, int? minutes = null)
    {
        var url = $"{LoginPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";
        if (error is not null)
            url += $"&error={error}";
        if (minutes is { } m)
            url += $"&minutes={m.ToString(CultureInfo.InvariantCulture)}";
        return url;
    }
}
