namespace DarwinGrid.Grains.Storage;

/// <summary>A SQLite store could not read, write or decode something; the message names what and where.</summary>
[GenerateSerializer]
public sealed class SqliteStorageException : Exception
{
    public SqliteStorageException()
    {
    }

    public SqliteStorageException(string message) : base(message)
    {
    }

    public SqliteStorageException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
