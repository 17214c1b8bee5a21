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

    /// <summary>How long a sign-in lasts at most, active or not (then the user signs in again).</summary>
    public TimeSpan SessionMaxLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Sign-ins held by the server at once; beyond it the oldest end.</summary>
    public int MaxSessions { get; set; } = 10_000;

    /// <summary>
    /// Failed sign-ins per (user name, client address) within <see cref="LoginFailureWindow"/> before that
    /// address may not try that name again. Another address is never refused for them: the user can
    /// always sign in from their own address.
    /// </summary>
    public int LoginFailureLimit { get; set; } = 5;

    /// <summary>Failed sign-ins per client address (any user names) within the window before the address is refused (password spraying).</summary>
    public int LoginAddressFailureLimit { get; set; } = 20;

    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Once a user name has <see cref="LoginFailureLimit"/> failures in the window (from any addresses), each
    /// further sign-in for it waits this long before the password is checked, doubling per failure up to
    /// <see cref="LoginDelayMax"/>: guessing slows down, the right password still gets in.
    /// </summary>
    public TimeSpan LoginDelayStep { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan LoginDelayMax { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Addresses of reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed
    /// (e.g. <c>10.0.0.5</c>). Empty (the default) believes no one: the headers are ignored.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];

    /// <summary>Networks of such proxies in CIDR form (e.g. <c>10.42.0.0/16</c> for an ingress controller's pods).</summary>
    public List<string> KnownNetworks { get; set; } = [];

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
