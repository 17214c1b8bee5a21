using System.Security.Cryptography;
using System.Text;
using DarwinGrid.Web.Hosting;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Security;

/// <summary>A configured API key: who it acts as and with which role.</summary>
public sealed record ApiKeyIdentity(string Name, string Role);

/// <summary>
/// The REST API's keys from <c>DarwinGrid:Web:ApiKeys</c>, kept as SHA-256 hashes (keys are long random
/// strings, so a fast hash suffices) and compared in constant time.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly List<(byte[] Hash, ApiKeyIdentity Identity)> _keys = [];

    public ApiKeyStore(IOptions<DarwinGridWebOptions> options)
    {
        for (var i = 0; i < options.Value.ApiKeys.Count; i++)
        {
            var entry = options.Value.ApiKeys[i];
            var where = $"{DarwinGridWebOptions.SectionName}:ApiKeys:{i}";
            if (string.IsNullOrWhiteSpace(entry.Name))
                throw new InvalidOperationException($"{where}: the API key has no Name.");
            where += $" ({entry.Name})";
            var role = DashboardRoles.Parse(entry.Role, where);
            byte[] hash;
            if (!string.IsNullOrEmpty(entry.KeyHash) == !string.IsNullOrEmpty(entry.Key))
                throw new InvalidOperationException($"{where}: give exactly one of KeyHash (preferred) and Key.");
            if (entry.Key is { Length: > 0 } key)
            {
                if (key.Length < 16)
                    throw new InvalidOperationException($"{where}: the key is {key.Length} characters long; use at least 16 ('darwin web new-key' makes one).");
                hash = HashOf(key);
            }
            else
            {
                try
                {
                    hash = Convert.FromHexString(entry.KeyHash!.Trim());
                }
                catch (FormatException)
                {
                    hash = [];
                }
                if (hash.Length != SHA256.HashSizeInBytes)
                    throw new InvalidOperationException($"{where}: KeyHash must be 64 hex digits (the SHA-256 of the key).");
            }
            if (_keys.Any(k => k.Identity.Name.Equals(entry.Name.Trim(), StringComparison.OrdinalIgnoreCase)))
                throw new InvalidOperationException($"{where}: the name is used by another key.");
            _keys.Add((hash, new ApiKeyIdentity(entry.Name.Trim(), role)));
        }
    }

    public int Count => _keys.Count;

    public ApiKeyIdentity? Find(string presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512)
            return null;
        var hash = HashOf(presented);
        ApiKeyIdentity? found = null;
        foreach (var (candidate, identity) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
                found = identity;
        }
        return found;
    }

    public static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public static string HashHex(string key) => Convert.ToHexStringLower(HashOf(key));

    /// <summary>A new random key (256 bits, URL-safe base64).</summary>
    public static string NewKey() => "dg_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
