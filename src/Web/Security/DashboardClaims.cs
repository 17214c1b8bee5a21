using System.Security.Claims;

namespace DarwinGrid.Web.Security;

public static class DashboardClaims
{
    /// <summary>How the user signed in: the scheme name.</summary>
    public const string Method = "darwingrid:auth";

    public static ClaimsPrincipal Principal(string name, string role, string scheme)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(Method, scheme) };
        claims.AddRange(DashboardRoles.Implied(role).Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The highest role the user holds (for display).</summary>
    public static string? RoleOf(ClaimsPrincipal user) => DashboardRoles.All.LastOrDefault(user.IsInRole);
}
