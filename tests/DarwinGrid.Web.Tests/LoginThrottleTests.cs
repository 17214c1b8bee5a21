using DarwinGrid.Web.Hosting;
using DarwinGrid.Web.Security;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Web.Tests;

public sealed class LoginThrottleTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void AfterTheLimitOfFailuresANameWaitsUntilTheOldestFailureLeavesTheWindow()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(Options.Create(new DarwinGridWebOptions { LoginFailureLimit = 3, LoginFailureWindow = TimeSpan.FromMinutes(5) }), clock);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("user:eve", "ip:1"));
            throttle.Failed("user:eve", "ip:1");
            clock.Now += TimeSpan.FromMinutes(1);
        }
        Assert.Equal(TimeSpan.FromMinutes(2), throttle.RetryAfter("user:eve", "ip:2"));
        Assert.Equal(TimeSpan.FromMinutes(2), throttle.RetryAfter("user:bob", "ip:1"));
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("user:bob", "ip:2"));
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(TimeSpan.Zero, throttle.RetryAfter("user:eve", "ip:1"));
    }
}
