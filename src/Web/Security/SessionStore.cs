using System.Security.Claims;
using System.Security.Cryptography;
using DarwinGrid.Web.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Security;

/// <summary>
/// The server side of the sign-in cookie: the cookie carries only a random session id, and every
/// request looks it up here. Sign-out removes it, so a copy of the cookie is worthless afterwards;
/// a session also ends after <see cref="DarwinGridWebOptions.SessionMaxLifetime"/> however active it
/// is. Held in memory: a restart signs everyone out (the data-protection keys are per process too).
/// </summary>
public sealed class SessionStore(IOptions<DarwinGridWebOptions> options, TimeProvider time) : ITicketStore
{
    /// <summary>The claim that names the session (so a live circuit can check it is still signed in).</summary>
    public const string SessionClaim = "darwingrid:session";

    private readonly Dictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed record Session(AuthenticationTicket Ticket, DateTimeOffset Started);

    public int Count
    {
        get
        {
            lock (_lock)
                return _sessions.Count;
        }
    }

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        if (ticket.Principal.Identity is ClaimsIdentity identity)
            identity.AddClaim(new Claim(SessionClaim, key));
        var now = time.GetUtcNow();
        lock (_lock)
        {
            RemoveEnded(now);
            if (_sessions.Count >= Math.Max(1, options.Value.MaxSessions))
                _sessions.Remove(_sessions.MinBy(s => s.Value.Started).Key);
            _sessions[key] = new Session(ticket, now);
        }
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        lock (_lock)
        {
            if (_sessions.TryGetValue(key, out var session))
                _sessions[key] = session with { Ticket = ticket };
        }
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_sessions.TryGetValue(key, out var session))
                return Task.FromResult<AuthenticationTicket?>(null);
            if (HasEnded(session, now))
            {
                _sessions.Remove(key);
                return Task.FromResult<AuthenticationTicket?>(null);
            }
            return Task.FromResult<AuthenticationTicket?>(session.Ticket);
        }
    }

    public Task RemoveAsync(string key)
    {
        lock (_lock)
            _sessions.Remove(key);
        return Task.CompletedTask;
    }

    /// <summary>Whether the session named by <paramref name="user"/>'s session claim is still signed in.</summary>
    public bool IsActive(ClaimsPrincipal user)
    {
        var key = user.FindFirst(SessionClaim)?.Value;
        if (key is null)
            return false;
        lock (_lock)
            return _sessions.TryGetValue(key, out var session) && !HasEnded(session, time.GetUtcNow());
    }

    private bool HasEnded(Session session, DateTimeOffset now) =>
        now - session.Started > options.Value.SessionMaxLifetime || session.Ticket.Properties.ExpiresUtc is { } expires && expires < now;

    private void RemoveEnded(DateTimeOffset now)
    {
        foreach (var (key, session) in _sessions.ToList())
        {
            if (HasEnded(session, now))
                _sessions.Remove(key);
        }
    }
}
