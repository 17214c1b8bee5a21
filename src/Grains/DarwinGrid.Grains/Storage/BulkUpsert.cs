namespace DarwinGrid.Grains.Storage;

/// <summary>
/// One slice of rows to insert or update by key: the table's columns in insert order, each bound
/// once for the whole slice (<see cref="Constant"/>) or per row (<see cref="Column{T}"/>, one array
/// element per row), and the ON CONFLICT action. The dialect decides how the rows travel: SQLite
/// runs one compiled statement per row, PostgreSQL one statement over <c>unnest</c> of the arrays.
/// Rows must have distinct keys (PostgreSQL cannot update one row twice in a statement).
/// </summary>
internal sealed class BulkUpsert(string table, string onConflict)
{
    private readonly List<(string Name, object? Value, Array? Values)> _columns = [];

    public string Table { get; } = table;

    /// <summary>What follows <c>ON CONFLICT</c>, e.g. <c>(a, b) DO UPDATE SET c = excluded.c</c> or <c>DO NOTHING</c>.</summary>
    public string OnConflict { get; } = onConflict;

    public int RowCount { get; private set; } = -1;

    public IReadOnlyList<(string Name, object? Value, Array? Values)> Columns => _columns;

    public string ColumnNames => string.Join(", ", _columns.Select(c => c.Name));

    /// <summary>A column with the same value in every row.</summary>
    public BulkUpsert Constant(string name, object? value)
    {
        _columns.Add((name, value, null));
        return this;
    }

    /// <summary>A column with one value per row; every such column has as many values as there are rows.</summary>
    public BulkUpsert Column<T>(string name, T[] values)
    {
        if (RowCount >= 0 && values.Length != RowCount)
            throw new ArgumentException($"Column {name} of {Table} has {values.Length} values for {RowCount} rows.", nameof(values));
        RowCount = values.Length;
        _columns.Add((name, null, values));
        return this;
    }

    /// <summary>The statement's parameter for column <paramref name="ordinal"/>.</summary>
    public static string Parameter(int ordinal) => $"@c{ordinal}";
}
