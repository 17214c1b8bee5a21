using Npgsql;
using StackExchange.Redis;

namespace DarwinGrid.Silo.Hosting;

/// <summary>Says which server a failed silo start could not reach, and which setting names it.</summary>
public static class StartFailure
{
    public static string Describe(Exception e, DarwinGridSettings settings)
    {
        var chain = Chain(e).ToList();
        // Orleans' Redis reminder service rethrows the connection failure as its own exception type, with the original only in the message.
        var redis = (Exception?)chain.OfType<RedisConnectionException>().FirstOrDefault()
                    ?? chain.FirstOrDefault(x => x.Message.Contains(nameof(RedisConnectionException), StringComparison.Ordinal));
        if (redis is not null)
            return $"Redis at {settings.Cluster.Redis} (DarwinGrid:Cluster:Redis) cannot be reached: {redis.Message}";
        if (chain.OfType<NpgsqlException>().FirstOrDefault() is { } postgres)
            return $"PostgreSQL (DarwinGrid:Storage:PostgreSql) cannot be reached or refused the schema: {postgres.Message}";
        return string.Join(" <- ", chain.Select(x => x.Message).Distinct());
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.SelectMany(Chain))
                    yield return inner;
                yield break;
            }
        }
    }
}
