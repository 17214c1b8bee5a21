using DarwinGrid.Deploy.Tests.Support;

namespace DarwinGrid.Deploy.Tests;

/// <summary>deploy/compose.yaml, interpolated with deploy/.env.example, checked for what the stack promises.</summary>
public sealed class ComposeFileTests
{
    private readonly ComposeFile _compose = DeployFiles.Compose();

    [Fact]
    public void EveryServiceHasAnImageAndAHealthCheck()
    {
        Assert.All(_compose.Services, s =>
        {
            Assert.False(string.IsNullOrEmpty(s.Image), $"{s.Name} has no image");
            Assert.True(s.HealthcheckTest.Count > 0, $"{s.Name} has no health check");
            Assert.NotEqual("NONE", s.HealthcheckTest[0]);
        });
    }

    [Fact]
    public void ServicesThatBuildUseTheDockerfilesInDeploy()
    {
        var building = _compose.Services.Where(s => s.Dockerfile is not null).ToList();
        Assert.Equal(3, building.Count);
        Assert.All(building, s =>
        {
            Assert.True(File.Exists(s.Dockerfile), $"{s.Name}: {s.Dockerfile} does not exist");
            Assert.StartsWith(DeployFiles.Deploy, s.Dockerfile);
        });
        // Every darwin image is built by some service (the second CPU silo reuses the first's).
        Assert.All(_compose.DarwinServices(), s => Assert.NotNull(_compose.DockerfileOf(s)));
    }

    [Fact]
    public void TheStackIsRedisPostgresTwoCpuSilosOneGpuSiloAndTheWebApp()
    {
        var silos = _compose.Silos().ToList();
        Assert.Equal(["cpu", "cpu", "gpu"], silos.Select(s => s.Environment[DarwinContainers.RoleVariable]).Order());
        Assert.Equal(2, silos.Select(s => s.Name).Distinct().Count(n => n.StartsWith("silo-cpu", StringComparison.Ordinal)));

        var gpu = Assert.Single(silos, s => s.Environment[DarwinContainers.RoleVariable] == "gpu");
        var reservation = Assert.Single(gpu.DeviceReservations);
        Assert.Equal("nvidia", reservation.Str("driver"));
        Assert.Equal("1", reservation.Str("count"));
        Assert.Contains("gpu", reservation.Strings("capabilities"));
        Assert.Contains("cuda", _compose.DockerfileOf(gpu).Path);
        Assert.All(silos.Where(s => s != gpu), cpu => Assert.Empty(cpu.DeviceReservations));

        var postgres = _compose.Service("postgres");
        var dataVolume = Assert.Single(postgres.Volumes, v => v.EndsWith(":/var/lib/postgresql/data", StringComparison.Ordinal));
        Assert.Contains(dataVolume.Split(':')[0], _compose.NamedVolumes);
        Assert.Contains("redis", _compose.Service("redis").Image);

        var web = _compose.Service("web");
        Assert.Equal(["web", "--urls", "http://0.0.0.0:8080"], web.Command);
        Assert.Contains(web.Ports, p => p.EndsWith(":8080", StringComparison.Ordinal));
    }

    [Fact]
    public void SecretsAreRequiredVariablesNeverLiteralsInTheFile()
    {
        string[] secrets = ["REDIS_PASSWORD", "POSTGRES_PASSWORD", "DARWINGRID_ADMIN_PASSWORD", "DARWINGRID_API_KEY"];
        Assert.All(secrets, name => Assert.Equal(VariableKind.Required, _compose.Variables[name].Kind));
        var text = File.ReadAllText(_compose.Path);
        Assert.DoesNotContain("change-me", text);

        // The connection strings carry the secret from the environment...
        var example = DotEnvFile.Load(DeployFiles.PathOf(".env.example"));
        Assert.All(_compose.Silos(), s =>
        {
            Assert.Contains($"Password={example["POSTGRES_PASSWORD"]}", s.Environment["DarwinGrid__Storage__PostgreSql"]);
            Assert.Contains($"password={example["REDIS_PASSWORD"]}", s.Environment["DarwinGrid__Cluster__Redis"]);
        });
        // ...and without them compose refuses to start, naming the variable.
        var missing = Assert.Throws<InvalidOperationException>(() => ComposeFile.Load(_compose.Path, new Dictionary<string, string>()));
        Assert.Contains("required variable", missing.Message);
    }

    [Fact]
    public void EveryVariableTheFileUsesIsInTheEnvExample()
    {
        var example = DotEnvFile.Load(DeployFiles.PathOf(".env.example"));
        Assert.DoesNotContain(_compose.Variables.Keys, name => !example.ContainsKey(name));
    }

    [Fact]
    public void EveryDarwinContainerEnvironmentIsKnownAndBinds()
    {
        var darwin = _compose.DarwinServices().ToList();
        Assert.Equal(4, darwin.Count);
        Assert.All(darwin, s =>
        {
            var problems = DeploySettingsCatalog.Check(_compose.ContainerEnvironment(s));
            Assert.True(problems.Count == 0, $"{s.Name}: {string.Join("; ", problems)}");
        });
    }

    [Fact]
    public void EachSiloReadsItsDevicesPortsAndTheSharedModelStore()
    {
        foreach (var silo in _compose.Silos())
        {
            var settings = DeploySettingsCatalog.BindSilo(_compose.ContainerEnvironment(silo));
            var role = silo.Environment[DarwinContainers.RoleVariable];
            Assert.Equal([role == "gpu" ? "gpu0" : "cpu0"], settings.ResolvedDevices);
            Assert.Equal(11111, settings.SiloPort);
            Assert.Equal(30000, settings.GatewayPort);
            // The model store is the volume every silo shares; the data folder is mounted read-only.
            Assert.Contains($"models:{settings.ResolvedModelStore}", silo.Volumes);
            Assert.Contains(silo.Volumes, v => v.EndsWith($":{settings.DataDir}:ro", StringComparison.Ordinal));
            // The health check probes the gateway the silo is configured to open.
            Assert.Contains($"/dev/tcp/127.0.0.1/{settings.GatewayPort}", string.Join(' ', silo.HealthcheckTest));
        }
    }

    [Fact]
    public void SilosAndTheWebAppJoinOneClusterAndSilosShareOneStore()
    {
        string[] clusterKeys = ["DarwinGrid__Cluster__Mode", "DarwinGrid__Cluster__Redis", "DarwinGrid__Cluster__ClusterId", "DarwinGrid__Cluster__ServiceId"];
        var darwin = _compose.DarwinServices().ToList();
        foreach (var key in clusterKeys)
            Assert.Single(darwin.Select(s => s.Environment[key]).Distinct());
        Assert.Equal("Redis", darwin[0].Environment["DarwinGrid__Cluster__Mode"]);
        var silos = _compose.Silos().ToList();
        Assert.Single(silos.Select(s => s.Environment["DarwinGrid__Storage__PostgreSql"]).Distinct());
        Assert.All(silos, s => Assert.Equal("PostgreSql", s.Environment["DarwinGrid__Storage__Provider"]));
        Assert.StartsWith("redis:", darwin[0].Environment["DarwinGrid__Cluster__Redis"]);
        Assert.StartsWith("Host=postgres;", silos[0].Environment["DarwinGrid__Storage__PostgreSql"]);
    }

    [Fact]
    public void SilosStartOnlyOnceRedisAndPostgresAreHealthy()
    {
        Assert.All(_compose.Silos(), s =>
        {
            Assert.Equal("service_healthy", s.DependsOn["redis"]);
            Assert.Equal("service_healthy", s.DependsOn["postgres"]);
        });
        Assert.Contains(_compose.Service("web").DependsOn, d => d.Value == "service_healthy" && d.Key.StartsWith("silo", StringComparison.Ordinal));
    }
}
