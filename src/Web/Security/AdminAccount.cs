using System.Security.Cryptography;
using System.Text.Json;
using DarwinGrid.Web.Hosting;
using Microsoft.Extensions.Logging;

namespace DarwinGrid.Web.Security;

/// <summary>
/// The admin user: its password comes from configuration (<c>DarwinGrid:Web:AdminPassword</c>), else from
/// <c>web-admin.json</c> in the state folder (a hash), else it is generated, printed once and only its
/// hash written there (mode 600).
/// </summary>
public static class AdminAccount
{
    public const string FileName = "web-admin.json";

    public static DashboardUser Resolve(DarwinGridWebOptions options, FirstRunNotice notice, ILogger logger)
    {
        var name = string.IsNullOrWhiteSpace(options.AdminUser) ? "admin" : options.AdminUser.Trim();
        if (!string.IsNullOrEmpty(options.AdminPassword))
            return new DashboardUser(name, DashboardRoles.Admin, PasswordHashing.Hash(options.AdminPassword));

        var file = options.StateDirectory is { Length: > 0 } directory ? Path.Combine(directory, FileName) : null;
        if (file is not null && File.Exists(file))
        {
            var stored = Read(file);
            if (stored.User != name)
                throw new InvalidOperationException(
                    $"{file} holds the password of '{stored.User}', but the admin is configured as '{name}'; delete the file to generate a new password.");
            return new DashboardUser(name, DashboardRoles.Admin, stored.PasswordHash);
        }

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var admin = new DashboardUser(name, DashboardRoles.Admin, PasswordHashing.Hash(password));
        if (file is not null)
            Write(file, new StoredAdmin(name, admin.PasswordHash));
        else
            logger.LogWarning("No state folder for the dashboard: the generated admin password is not stored");
        notice.AdminPasswordGenerated(name, password, file);
        return admin;
    }

    private static StoredAdmin Read(string file)
    {
        try
        {
            var stored = JsonSerializer.Deserialize<StoredAdmin>(File.ReadAllText(file), JsonOptions);
            return stored is { PasswordHash: { } hash } && PasswordHashing.IsWellFormed(hash)
                ? stored
                : throw new InvalidOperationException($"{file} has no valid passwordHash; delete it to generate a new admin password.");
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{file} is not valid JSON ({e.Message}); delete it to generate a new admin password.", e);
        }
    }

    private static void Write(string file, StoredAdmin admin)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(file, options);
        JsonSerializer.Serialize(stream, admin, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private sealed record StoredAdmin(string User, string PasswordHash);
}
