using Microsoft.AspNetCore.Identity;

namespace DarwinGrid.Web.Security;

/// <summary>
/// Passwords as ASP.NET Core Identity stores them (PBKDF2 with HMAC-SHA512, salted, format v3), so a
/// hash made by <c>darwin web hash-password</c> or any Identity tool is accepted.
/// </summary>
public static class PasswordHashing
{
    private static readonly PasswordHasher<DashboardUser> Hasher = new();
    private static readonly DashboardUser Nobody = new("", DashboardRoles.Viewer, "");

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(Nobody, password);
    }

    public static bool Verify(string hash, string password) =>
        password.Length > 0 && Hasher.VerifyHashedPassword(Nobody, hash, password) != PasswordVerificationResult.Failed;

    /// <summary>Whether <paramref name="hash"/> looks like a hash this class can verify (base64, Identity format marker).</summary>
    public static bool IsWellFormed(string? hash)
    {
        if (string.IsNullOrWhiteSpace(hash))
            return false;
        Span<byte> bytes = stackalloc byte[hash.Length];
        // 0x01: Identity v3 (PBKDF2); v2 (0x00) is also verifiable but weaker, still accepted for old hashes.
        return Convert.TryFromBase64String(hash, bytes, out var written) && written > 13 && bytes[0] is 0x00 or 0x01;
    }
}
