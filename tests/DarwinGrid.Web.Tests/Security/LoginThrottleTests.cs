using System.Net;
using DarwinGrid.Web.Hosting;
using DarwinGrid.Web.Security;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Tests.Security;

public sealed class LoginThrottleTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.66");
    private static readonly IPAddress Owner = IPAddress.Parse("198.51.100.7");

    private static DarwinGridWebOptions Settings() => new()
    {
        LoginFailureLimit = 3, LoginAddressFailureLimit = 10, LoginFailureWindow = TimeSpan.FromMinutes(5),
        LoginDelayStep = TimeSpan.FromSeconds(1), LoginDelayMax = TimeSpan.FromSeconds(8),
    };

    [Fact]
    public void AfterTheLimitAnAddressWaitsForThatNameUntilTheOldestFailureLeavesTheWindow()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(Options.Create(Settings()), clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.False(throttle.Begin("eve", Attacker).Refused);
            clock.Now += TimeSpan.FromMinutes(1);
        }
        Assert.Equal(TimeSpan.FromMinutes(2), throttle.Begin("eve", Attacker).RetryAfter);
        Assert.False(throttle.Begin("bob", Attacker).Refused);
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.False(throttle.Begin("eve", Attacker).Refused);
    }

    [Fact]
    public void FailuresFromOneAddressNeverRefuseTheNameFromAnotherButDelayItUpToTheMaximum()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(Options.Create(Settings()), clock);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 8; i++)
            delays.Add(throttle.Begin("admin", IPAddress.Parse($"203.0.113.{i / 3 + 1}")).Delay);
        Assert.Equal([0, 0, 0, 1, 2, 4, 8, 8], delays.Select(d => d.TotalSeconds));

        var owner = throttle.Begin("admin", Owner);
        Assert.False(owner.Refused);
        Assert.Equal(TimeSpan.FromSeconds(8), owner.Delay);
        owner.Succeeded();
        Assert.False(throttle.Begin("admin", Owner).Refused);
    }

    [Fact]
    public void ASuccessTakesItsAttemptBackSoTheOwnerIsNeverCountedAgainstThemselves()
    {
        var throttle = new LoginThrottle(Options.Create(Settings()), new Clock());
        for (var i = 0; i < 10; i++)
        {
            var attempt = throttle.Begin("vera", Owner);
            Assert.False(attempt.Refused);
            Assert.Equal(TimeSpan.Zero, attempt.Delay);
            attempt.Succeeded();
        }
    }

    [Fact]
    public void OneAddressSprayingManyNamesIsRefusedAfterTheAddressLimit()
    {
        var throttle = new LoginThrottle(Options.Create(Settings()), new Clock());
        var refused = Enumerable.Range(0, 15).Count(i => throttle.Begin($"user{i}", Attacker).Refused);
        Assert.Equal(5, refused);
        Assert.False(throttle.Begin("user0", Owner).Refused);
    }

    [Fact]
    public void ParallelAttemptsFromOneAddressReserveNoMoreThanTheLimit()
    {
        var throttle = new LoginThrottle(Options.Create(Settings()), new Clock());
        var allowed = 0;
        Parallel.For(0, 200, _ =>
        {
            if (!throttle.Begin("admin", Attacker).Refused)
                Interlocked.Increment(ref allowed);
        });
        Assert.Equal(3, allowed);
    }
}
