namespace DarwinGrid.Grains.Storage;

/// <summary>A PostgreSQL store could not read, write or decode something; the message names what and where.</summary>
[GenerateSerializer]
public sealed class PostgreSqlStorageException : Exception
{
    public PostgreSqlStorageException()
    {
    }

    public PostgreSqlStorageException(string message) : base(message)
    {
    }

    public PostgreSqlStorageException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
