using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Web.Security;

/// <summary>
/// A live dashboard circuit keeps the user it started with; this checks every half minute that the
/// session is still signed in (not signed out in another tab, not past its lifetime), and ends the
/// circuit's sign-in when it is not.
/// </summary>
public sealed class SessionRevalidation(ILoggerFactory loggers, SessionStore sessions) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(IsValid(authenticationState.User));

    // API-key principals never reach a circuit; an anonymous one has nothing to revoke.
    private bool IsValid(ClaimsPrincipal user) => user.Identity?.IsAuthenticated != true || sessions.IsActive(user);
}
