using DarwinGrid.TestSupport;
using DarwinGrid.TestSupport.Servers;
using DarwinGrid.Training.Models;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Cli.Tests.Cluster;

/// <summary>
/// Redis and PostgreSQL on free loopback ports for the cluster tests, and a random 32x1 model (its
/// answers are nonsense but deterministic; the grain path is what is tested). Starts nothing when
/// a server is not installed: the tests are skipped then, saying so.
/// </summary>
public sealed class ClusterServers : IAsyncLifetime
{
    public const string ModelVersion = "tiny-32x1";

    private RedisServer? _redis;
    private PostgresServer? _postgres;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Redis has not started.");

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL has not started.");

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("darwingrid-cluster-model-").FullName;

    public string ModelPath => Path.Combine(Directory, "tiny-32x1.gguf");

    public async Task InitializeAsync()
    {
        if (RedisServer.MissingReason is not null || PostgresServer.MissingReason is not null)
            return;
        var vocabulary = BuiltInVocabulary.Create(SharedData.Root);
        RandomLlamaModel.Write(ModelPath, new LlamaHyperparameters(vocabulary.Count, EmbeddingLength: 32, BlockCount: 1, HeadCount: 4, HeadCountKv: 2, FeedForwardLength: 64),
            vocabulary, seed: 5, std: 0.2f);
        _redis = await RedisServer.StartAsync();
        _postgres = await PostgresServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_redis is not null)
            await _redis.DisposeAsync();
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
