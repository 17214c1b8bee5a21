using System.Text.RegularExpressions;
using DarwinGrid.Deploy.Tests.Support;
using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Deploy.Tests;

/// <summary>
/// The silo services of compose.yaml started as <c>darwin serve</c> processes with the environment
/// their containers get (image ENV + service environment, .env.example for the secrets), against a
/// local Redis and PostgreSQL, all at once as <c>docker compose up</c> would; they must form one
/// cluster (a client through Redis sees all three active), a client talks to each, and SIGTERM
/// stops each cleanly within the compose grace period. The gpu silo keeps its gpu0 device: serving
/// the cluster loads no model, so no GPU is needed here. Only paths, the two host names and
/// the ports are rewritten (<see cref="LocalRun"/>).
/// </summary>
[Trait("Category", TestCategories.Integration)]
public sealed class ComposeSiloStartTests : IAsyncLifetime
{
    private string _root = "";
    private readonly LocalServers _servers = new();
    private readonly Dictionary<string, string> _variables = new(DotEnvFile.Load(DeployFiles.PathOf(".env.example")))
    {
        // The data folder as a user would point at it (the worktree need not sit beside shared/).
        ["DARWINGRID_DATA"] = SharedData.Root,
    };

    public async Task InitializeAsync()
    {
        // Created only once the servers run: xunit does not dispose a class whose initialisation failed.
        await _servers.StartAsync(_variables["REDIS_PASSWORD"], "darwingrid", _variables["POSTGRES_PASSWORD"], "darwingrid");
        _root = Directory.CreateTempSubdirectory("deploy-compose-").FullName;
        // The certificates as an operator makes them for compose (deploy/README.md), where DARWINGRID_CERTS points.
        _variables["DARWINGRID_CERTS"] = ClusterCertificates.Generate(Path.Combine(_root, "certs"), TimeSpan.FromDays(1)).Directory;
    }

    public async Task DisposeAsync()
    {
        await _servers.DisposeAsync();
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task EverySiloServiceStartsWithItsComposeEnvironmentServesAClientAndStopsOnSigterm()
    {
        var compose = ComposeFile.Load(DeployFiles.PathOf("compose.yaml"), _variables);
        var silos = compose.Silos().ToList();
        Assert.Equal(3, silos.Count);
        var runs = silos.Select(s => (Service: s, Run: LocalRun.For(compose, s, _root, _servers))).ToList();
        foreach (var (service, run) in runs)
        {
            // Nothing but locations was changed: the settings themselves are the compose file's.
            Assert.All(run.Changed, name => Assert.Contains(name, new[] { "DarwinGrid__Home", "DarwinGrid__ModelStoreDir", "DarwinGrid__DataDir",
                "DarwinGrid__SiloPort", "DarwinGrid__GatewayPort", "DarwinGrid__Cluster__Redis", "DarwinGrid__Storage__PostgreSql",
                "DarwinGrid__Cluster__Tls__Certificate", "DarwinGrid__Cluster__Tls__Key", "DarwinGrid__Cluster__Tls__CertificateAuthority" }));
            Assert.Equal(compose.ContainerEnvironment(service).Keys.Count(k => k.StartsWith(DeploySettingsCatalog.EnvironmentPrefix, StringComparison.Ordinal)),
                run.Environment.Count);
        }

        var processes = runs.Select(r => DarwinProcess.Start(r.Run.Environment, _root, "Ctrl-C stops it", "serve")).ToList();
        try
        {
            await Task.WhenAll(processes.Select(p => p.WaitUntilReadyAsync(TimeSpan.FromSeconds(90))));
            for (var i = 0; i < runs.Count; i++)
            {
                var (service, run) = runs[i];
                var output = processes[i].Output;
                Assert.Contains($"gateway {run.GatewayPort}", output);
                Assert.Contains($"role     {service.Environment["DarwinGrid__Silo__Role"]}, devices {service.Environment["DarwinGrid__Devices__0"]}", output);
                Assert.Contains($"cluster  '{run.Environment["DarwinGrid__Cluster__ClusterId"]}' through Redis", output);
                Assert.Contains($"models   {run.Environment["DarwinGrid__ModelStoreDir"]}", output);
                Assert.Contains($"tls      mutual, CA {run.Environment["DarwinGrid__Cluster__Tls__CertificateAuthority"]}", output);
            }

            // A client with each silo's environment (what `docker compose exec <silo> darwin ... --cluster` runs).
            var clients = runs.Select(r => DarwinProcess.Start(r.Run.Environment, _root, "", "campaigns", "--cluster")).ToList();
            try
            {
                var codes = await Task.WhenAll(clients.Select(c => c.WaitForExitAsync(TimeSpan.FromSeconds(60))));
                for (var i = 0; i < clients.Count; i++)
                    Assert.True(codes[i] == 0, $"{runs[i].Service.Name}: darwin campaigns --cluster exited {codes[i]}\n{clients[i].Output}\n{clients[i].Error}");
            }
            finally
            {
                foreach (var client in clients)
                    await client.DisposeAsync();
            }
            // One cluster, not three: a client through Redis sees every silo active, by the names they print.
            var names = processes.Select(p => Regex.Match(p.Output, "DarwinGrid silo '([^']+)' running").Groups[1].Value).ToList();
            var overrides = runs[0].Run.Environment.ToDictionary(p => DeploySettingsCatalog.ToConfigurationKey(p.Key), p => (string?)p.Value);
            await using (var connection = await GridConnection.OpenAsync(cluster: true, overrides, CancellationToken.None))
            {
                var hosts = await connection.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true);
                Assert.Equal(names.Order(StringComparer.Ordinal), hosts.Where(h => h.Status == SiloStatus.Active).Select(h => h.SiloName).Order(StringComparer.Ordinal));
            }

            var grace = TimeSpan.FromSeconds(40); // stop_grace_period in compose.yaml, terminationGracePeriodSeconds in k8s
            Assert.All(silos, s => Assert.Equal("40s", s.Node.Str("stop_grace_period")));
            // Gone within the grace period, so docker / the kubelet never needs SIGKILL. (How it goes: see SigtermStopsTheSiloGracefully.)
            foreach (var process in processes)
                process.SendSigterm();
            for (var i = 0; i < processes.Count; i++)
                Assert.True(await processes[i].WaitForExitAsync(grace) == 0, $"{runs[i].Service.Name} did not stop cleanly on SIGTERM\n{processes[i].Output}\n{processes[i].Error}");
        }
        finally
        {
            foreach (var process in processes)
                await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task SigtermStopsTheSiloGracefully()
    {
        var compose = ComposeFile.Load(DeployFiles.PathOf("compose.yaml"), _variables);
        var run = LocalRun.For(compose, compose.Service("silo-cpu-1"), _root, _servers);
        await using var silo = DarwinProcess.Start(run.Environment, _root, "Ctrl-C stops it", "serve");
        await silo.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        silo.SendSigterm();
        Assert.Equal(0, await silo.WaitForExitAsync(TimeSpan.FromSeconds(40)));
    }
}
