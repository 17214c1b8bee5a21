using System.Security.Claims;
using DarwinGrid.Web.Hosting;
using DarwinGrid.Web.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Tests.Security;

public sealed class SessionStoreTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AuthenticationTicket Ticket(string name) =>
        new(DashboardClaims.Principal(name, DashboardRoles.Viewer, "Cookies"), new AuthenticationProperties(), "Cookies");

    [Fact]
    public async Task ASessionEndsAtItsMaximumLifetimeHoweverActiveAndWhenRemoved()
    {
        var clock = new Clock();
        var store = new SessionStore(Options.Create(new DarwinGridWebOptions { SessionMaxLifetime = TimeSpan.FromHours(12) }), clock);
        var ticket = Ticket("vera");
        var key = await store.StoreAsync(ticket);
        Assert.Equal(64, key.Length);
        Assert.True(store.IsActive(ticket.Principal));
        clock.Now += TimeSpan.FromHours(11);
        await store.RenewAsync(key, ticket);
        Assert.NotNull(await store.RetrieveAsync(key));
        clock.Now += TimeSpan.FromHours(2);
        Assert.Null(await store.RetrieveAsync(key));
        Assert.False(store.IsActive(ticket.Principal));

        var other = Ticket("otto");
        var otherKey = await store.StoreAsync(other);
        await store.RemoveAsync(otherKey);
        Assert.Null(await store.RetrieveAsync(otherKey));
        Assert.False(store.IsActive(other.Principal));
    }

    [Fact]
    public async Task BeyondTheMaximumNumberOfSessionsTheOldestEnds()
    {
        var clock = new Clock();
        var store = new SessionStore(Options.Create(new DarwinGridWebOptions { MaxSessions = 3 }), clock);
        var keys = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            keys.Add(await store.StoreAsync(Ticket($"user{i}")));
            clock.Now += TimeSpan.FromSeconds(1);
        }
        Assert.Equal(3, store.Count);
        Assert.Null(await store.RetrieveAsync(keys[0]));
        Assert.Null(await store.RetrieveAsync(keys[1]));
        Assert.NotNull(await store.RetrieveAsync(keys[4]));
    }
}

/// <summary>The running app wires the session checks in: circuits revalidate against the store.</summary>
[Collection(WebAppCollection.Name)]
public sealed class SessionWiringTests(WebAppFixture app)
{
    [Fact]
    public void DashboardCircuitsRevalidateTheirSessionAgainstTheStore()
    {
        using var scope = app.App.Services.CreateScope();
        Assert.IsType<SessionRevalidation>(scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>());
    }
}
