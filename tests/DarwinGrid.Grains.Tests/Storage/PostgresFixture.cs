using DarwinGrid.TestSupport.Servers;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>
/// One PostgreSQL server for the storage tests (each test creates its own database on it). Starts
/// nothing when PostgreSQL is not installed: the tests using it are then skipped by
/// <see cref="ServerFactAttribute"/>, saying so.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException(PostgresServer.MissingReason ?? "The PostgreSQL server has not started.");

    public async Task InitializeAsync()
    {
        if (PostgresServer.MissingReason is null)
            _server = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
