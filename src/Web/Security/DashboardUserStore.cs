using DarwinGrid.Web.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Security;

/// <summary>The users who may sign in: the admin and <c>DarwinGrid:Web:Users</c>, checked once at start.</summary>
public sealed class DashboardUserStore
{
    private readonly Dictionary<string, DashboardUser> _users = new(StringComparer.OrdinalIgnoreCase);
    // Verified when the name is unknown, so a wrong name costs as long as a wrong password.
    private readonly string _decoyHash = PasswordHashing.Hash(Guid.NewGuid().ToString("N"));

    public DashboardUserStore(IOptions<DarwinGridWebOptions> options, FirstRunNotice notice, ILogger<DashboardUserStore> logger)
    {
        var admin = AdminAccount.Resolve(options.Value, notice, logger);
        _users[admin.Name] = admin;
        for (var i = 0; i < options.Value.Users.Count; i++)
        {
            var user = Validate(options.Value.Users[i], $"{DarwinGridWebOptions.SectionName}:Users:{i}");
            if (!_users.TryAdd(user.Name, user))
                throw new InvalidOperationException($"{DarwinGridWebOptions.SectionName}:Users:{i}: user '{user.Name}' is defined twice (or is the admin).");
        }
    }

    public IReadOnlyCollection<DashboardUser> Users => _users.Values;

    /// <summary>The user when the name and password match, else null (which of the two was wrong is not told).</summary>
    public DashboardUser? Verify(string? name, string? password)
    {
        var user = name is { Length: > 0 } ? _users.GetValueOrDefault(name.Trim()) : null;
        var matches = PasswordHashing.Verify(user?.PasswordHash ?? _decoyHash, password ?? "");
        return user is not null && matches ? user : null;
    }

    private static DashboardUser Validate(WebUserOptions user, string where)
    {
        if (string.IsNullOrWhiteSpace(user.Name))
            throw new InvalidOperationException($"{where}: the user has no Name.");
        if (!string.IsNullOrEmpty(user.Password))
            throw new InvalidOperationException(
                $"{where} ({user.Name}): a plain Password is not accepted; store a PasswordHash made by 'darwin web hash-password'.");
        if (!PasswordHashing.IsWellFormed(user.PasswordHash))
            throw new InvalidOperationException($"{where} ({user.Name}): PasswordHash is missing or not an ASP.NET Core password hash ('darwin web hash-password' makes one).");
        return new DashboardUser(user.Name.Trim(), DashboardRoles.Parse(user.Role, $"{where} ({user.Name})"), user.PasswordHash!);
    }
}
