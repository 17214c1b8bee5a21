namespace DarwinGrid.Grains.Storage;

/// <summary>A store (SQLite or PostgreSQL) could not read, write or decode something; the message names what and where.</summary>
[GenerateSerializer]
public sealed class StorageException : Exception
{
    public StorageException()
    {
    }

    public StorageException(string message) : base(message)
    {
    }

    public StorageException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}
