using System.Text.Json;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// The few SQL spellings that differ between SQLite and PostgreSQL. Everything else the query
/// builder emits (LEFT JOIN, CASE, COALESCE, NULLS LAST, LIMIT/OFFSET, @parameters) is common.
/// </summary>
internal abstract class SqlDialect
{
    /// <summary>A condition: <paramref name="column"/> is one of the values bound to <paramref name="parameter"/>.</summary>
    public abstract string IsIn(string column, string parameter);

    /// <summary>The value to bind for <see cref="IsIn"/>.</summary>
    public abstract object ListValue<T>(IEnumerable<T> values);

    /// <summary>A case-sensitive substring test.</summary>
    public abstract string Contains(string column, string parameter);
}

/// <summary>SQLite: lists travel as one JSON array parameter expanded by <c>json_each</c>, so a batch of any size is one statement.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    public static SqliteDialect Instance { get; } = new();

    public override string IsIn(string column, string parameter) => $"{column} IN (SELECT value FROM json_each({parameter}))";

    public override object ListValue<T>(IEnumerable<T> values) => JsonSerializer.Serialize(values, StoreJson.Options);

    public override string Contains(string column, string parameter) => $"instr({column}, {parameter}) > 0";
}

/// <summary>PostgreSQL: lists travel as one array parameter (<c>= ANY(@list)</c>); <c>strpos</c> is case-sensitive.</summary>
internal sealed class PostgreSqlDialect : SqlDialect
{
    public static PostgreSqlDialect Instance { get; } = new();

    public override string IsIn(string column, string parameter) => $"{column} = ANY({parameter})";

    public override object ListValue<T>(IEnumerable<T> values) => values.ToArray();

    public override string Contains(string column, string parameter) => $"strpos({column}, {parameter}) > 0";
}
