using DarwinGrid.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Security;

/// <summary>
/// Sign-in for pages and the REST API. The default scheme picks per request: the API key scheme when
/// an <c>X-Api-Key</c> header is present, else the cookie. So every policy accepts both, a browser
/// gets redirected to the login page, and an API caller gets 401/403 instead of a redirect.
/// </summary>
public static class DashboardAuthentication
{
    public const string Scheme = "DarwinGrid";
    public const string CookieName = "DarwinGrid.Auth";

    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services)
    {
        services.TryAddSingleton(new FirstRunNotice(Console.Out));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<DashboardUserStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<SessionStore>();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidation>();
        services.AddHostedService<AccountsCheck>();

        services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Cookie or API key", o => o.ForwardDefaultSelector = context =>
                context.Request.Headers.ContainsKey(ApiKeyAuthenticationHandler.HeaderName)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(o =>
            {
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.SlidingExpiration = true;
                o.LoginPath = AccountEndpoints.LoginPath;
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnRedirectToLogin = context => IsApi(context.Request) ? Status(context, StatusCodes.Status401Unauthorized) : Redirect(context);
                // No access-denied page: a signed-in user without the role gets a plain 403.
                o.Events.OnRedirectToAccessDenied = context => Status(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<DarwinGridWebOptions>, SessionStore>((cookie, web, sessions) =>
            {
                cookie.ExpireTimeSpan = web.Value.SessionIdleTimeout;
                cookie.SessionStore = sessions;
                cookie.Cookie = TransportSecurity.SecureUnlessLoopback(cookie.Cookie);
            });
        services.AddAntiforgery(o => o.Cookie = TransportSecurity.SecureUnlessLoopback(o.Cookie));
        services.AddAuthorizationBuilder().AddDashboardPolicies();
        services.AddCascadingAuthenticationState();
        return services;
    }

    private static bool IsApi(HttpRequest request) => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    private static Task Status(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    private static Task Redirect(RedirectContext<CookieAuthenticationOptions> context)
    {
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Reads the users and keys at start: a bad entry stops the host with its message, and the first-run password is printed now.</summary>
    private sealed class AccountsCheck(DashboardUserStore users, ApiKeyStore keys, ILogger<AccountsCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            logger.LogInformation("Dashboard sign-in: {Users} user(s), {Keys} API key(s)", users.Users.Count, keys.Count);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
