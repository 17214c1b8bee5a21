using Microsoft.AspNetCore.Authorization;

namespace DarwinGrid.Web.Security;

/// <summary>
/// The authorization policies of the pages and the REST API. Use the names in pages, e.g.
/// <c>&lt;AuthorizeView Policy="@DashboardPolicies.Operator"&gt;</c> around start/cancel buttons.
/// Both sign-in schemes (cookie, API key) satisfy them: the default scheme picks one per request.
/// </summary>
public static class DashboardPolicies
{
    /// <summary>Read anything: every signed-in user and API key.</summary>
    public const string Viewer = "viewer";

    /// <summary>Change things: create, start, cancel campaigns; train; register models.</summary>
    public const string Operator = "operator";

    /// <summary>Users and API keys (and everything an operator may do).</summary>
    public const string Admin = "admin";

    public static AuthorizationBuilder AddDashboardPolicies(this AuthorizationBuilder builder) => builder
        .AddPolicy(Viewer, p => p.RequireAuthenticatedUser().RequireRole(DashboardRoles.Viewer))
        .AddPolicy(Operator, p => p.RequireAuthenticatedUser().RequireRole(DashboardRoles.Operator))
        .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(DashboardRoles.Admin));
}
