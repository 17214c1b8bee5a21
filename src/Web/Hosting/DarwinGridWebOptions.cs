namespace DarwinGrid.Web.Hosting;

/// <summary>
/// The <c>DarwinGrid:Web</c> configuration section (environment: <c>DarwinGrid__Web__...</c>).
/// Passwords and keys are stored as hashes only; <c>darwin web hash-password</c> and
/// <c>darwin web new-key</c> make them.
/// </summary>
public sealed class DarwinGridWebOptions
{
    public const string SectionName = "DarwinGrid:Web";

    /// <summary>Signed-in users besides the admin.</summary>
    public List<WebUserOptions> Users { get; set; } = [];

    /// <summary>Keys for the REST API (header <c>X-Api-Key</c>).</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>The admin account's name.</summary>
    public string AdminUser { get; set; } = "admin";

    /// <summary>
    /// The admin's password (usually from <c>DarwinGrid__Web__AdminPassword</c>). When unset, one is
    /// generated on the first run, printed once, and only its hash kept in <see cref="StateDirectory"/>.
    /// </summary>
    public string? AdminPassword { get; set; }

    /// <summary>Where <c>web-admin.json</c> lives (the host sets it to <c>DarwinGrid:Home</c>); null keeps the generated admin password in memory only.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>How long a sign-in lasts without activity (sliding).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Failed sign-ins per user name or client address within <see cref="LoginFailureWindow"/> before further attempts are refused.</summary>
    public int LoginFailureLimit { get; set; } = 5;

    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Mount the Orleans dashboard under <c>/orleans</c> for operators.</summary>
    public bool OrleansDashboard { get; set; } = true;
}

/// <summary>A dashboard user: <c>DarwinGrid:Web:Users:N:Name</c>, <c>:Role</c>, <c>:PasswordHash</c>.</summary>
public sealed class WebUserOptions
{
    public string? Name { get; set; }

    /// <summary>viewer, operator or admin.</summary>
    public string? Role { get; set; }

    /// <summary>An ASP.NET Core PasswordHasher (PBKDF2) hash, from <c>darwin web hash-password</c>.</summary>
    public string? PasswordHash { get; set; }

    /// <summary>Refused when set: configuration holds hashes, never passwords. (Bound only so it can be refused rather than silently ignored.)</summary>
    public string? Password { get; set; }
}

/// <summary>An API key: <c>DarwinGrid:Web:ApiKeys:N:Name</c>, <c>:Role</c>, and <c>:KeyHash</c> (SHA-256 hex, preferred) or <c>:Key</c>.</summary>
public sealed class ApiKeyOptions
{
    public string? Name { get; set; }

    public string? Role { get; set; }

    /// <summary>Lower-case hex SHA-256 of the key's UTF-8 bytes, from <c>darwin web new-key</c>.</summary>
    public string? KeyHash { get; set; }

    /// <summary>The key itself (for secrets injected by the environment); hashed at start and not kept.</summary>
    public string? Key { get; set; }
}
