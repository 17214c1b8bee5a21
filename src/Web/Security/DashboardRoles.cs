namespace DarwinGrid.Web.Security;

/// <summary>
/// The dashboard's roles, each including the ones below it: a viewer reads; an operator also creates,
/// starts and cancels campaigns and trains; an admin also manages users and keys.
/// </summary>
public static class DashboardRoles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Admin];

    /// <summary>The role named in configuration, in its canonical spelling.</summary>
    /// <exception cref="InvalidOperationException">Not one of viewer, operator, admin; the message names <paramref name="where"/>.</exception>
    public static string Parse(string? role, string where) => role?.Trim().ToLowerInvariant() switch
    {
        Viewer => Viewer,
        Operator => Operator,
        Admin => Admin,
        _ => throw new InvalidOperationException($"{where}: role '{role}' is not one of {string.Join(", ", All)}."),
    };

    /// <summary>The role and every role it includes (role claims carry all of them, so a policy names one role).</summary>
    public static IReadOnlyList<string> Implied(string role) => role switch
    {
        Admin => [Admin, Operator, Viewer],
        Operator => [Operator, Viewer],
        _ => [Viewer],
    };
}
