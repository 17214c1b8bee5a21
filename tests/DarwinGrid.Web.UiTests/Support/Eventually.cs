namespace DarwinGrid.Web.UiTests.Support;

/// <summary>Polls a condition reached asynchronously (a campaign finishing) until a deadline.</summary>
public static class Eventually
{
    public static async Task<T> ReachAsync<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (done(value))
                return value;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:F0} s waiting for {what}; last: {value}");
            await Task.Delay(100);
        }
    }
}
