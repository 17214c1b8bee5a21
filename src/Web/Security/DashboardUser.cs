namespace DarwinGrid.Web.Security;

/// <summary>A user who may sign in to the dashboard.</summary>
public sealed record DashboardUser(string Name, string Role, string PasswordHash);
