using Microsoft.Data.Sqlite;

namespace DarwinGrid.Grains.Storage;

/// <summary>
/// One parameterised statement executed once per row of a batch: the statement is compiled on the
/// first execution and reused, only the parameter values change.
/// </summary>
internal sealed class BatchCommand : IDisposable
{
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _parameters;

    public BatchCommand(SqliteConnection connection, SqliteTransaction? transaction, string sql, params string[] parameterNames)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText = sql;
        _parameters = new SqliteParameter[parameterNames.Length];
        for (var i = 0; i < parameterNames.Length; i++)
            _parameters[i] = _command.Parameters.AddWithValue(parameterNames[i], DBNull.Value);
    }

    /// <summary>Sets the value of the parameter declared at <paramref name="ordinal"/>; null becomes SQL NULL.</summary>
    public BatchCommand Set(int ordinal, object? value)
    {
        _parameters[ordinal].Value = value ?? DBNull.Value;
        return this;
    }

    public int Execute() => _command.ExecuteNonQuery();

    public SqliteDataReader ExecuteReader() => _command.ExecuteReader();

    public void Dispose() => _command.Dispose();
}
