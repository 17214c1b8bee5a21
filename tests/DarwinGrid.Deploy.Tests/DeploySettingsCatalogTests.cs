using DarwinGrid.Deploy.Tests.Support;
using DarwinGrid.Silo.Hosting;

namespace DarwinGrid.Deploy.Tests;

/// <summary>The environment check the deployment tests rely on, shown to catch what it should.</summary>
public sealed class DeploySettingsCatalogTests
{
    private static readonly Dictionary<string, string> Good = new()
    {
        ["DarwinGrid__Cluster__Mode"] = "Redis",
        ["DarwinGrid__Storage__Provider"] = "PostgreSql",
        ["DarwinGrid__Silo__Role"] = "gpu",
        ["DarwinGrid__Devices__0"] = "gpu0",
        ["DarwinGrid__SiloPort"] = "11111",
        ["DarwinGrid__Engine__SeqMax"] = "128",
        ["DarwinGrid__Screening__RetryWindow"] = "00:05:00",
        ["DarwinGrid__Web__ApiKeys__0__Name"] = "deploy",
        ["DarwinGrid__Web__ApiKeys__0__Key"] = "k",
        ["POD_IP"] = "10.0.0.1",
    };

    [Fact]
    public void BoundKeysFollowTheSettingsTypes()
    {
        Assert.Contains("DarwinGrid:Devices:*", DeploySettingsCatalog.BoundKeys);
        Assert.Contains("DarwinGrid:Engine:SeqMax", DeploySettingsCatalog.BoundKeys);
        Assert.Contains("DarwinGrid:Screening:RetryWindow", DeploySettingsCatalog.BoundKeys);
        Assert.Contains("DarwinGrid:ModelStoreDir", DeploySettingsCatalog.BoundKeys);
        // Computed properties are not configuration.
        Assert.DoesNotContain("DarwinGrid:ResolvedDevices:*", DeploySettingsCatalog.BoundKeys);
        Assert.DoesNotContain("DarwinGrid:ResolvedHome", DeploySettingsCatalog.BoundKeys);
    }

    [Fact]
    public void AGoodEnvironmentPassesAndBinds()
    {
        Assert.Empty(DeploySettingsCatalog.Check(Good));
        var settings = DeploySettingsCatalog.BindSilo(Good);
        Assert.Equal(["gpu0"], settings.ResolvedDevices);
        Assert.Equal(128, settings.Engine.SeqMax);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.Screening.RetryWindow);
    }

    [Fact]
    public void EnumSettingsAcceptTheirNamesInAnyCaseAsTheBinderDoes()
    {
        var env = new Dictionary<string, string>(Good) { ["DarwinGrid__Cluster__Mode"] = "redis", ["DarwinGrid__Storage__Provider"] = "postgresql", ["DarwinGrid__Silo__Role"] = "GPU" };
        Assert.Empty(DeploySettingsCatalog.Check(env));
        var settings = DeploySettingsCatalog.BindSilo(env);
        Assert.Equal(ClusterMode.Redis, settings.Cluster.Mode);
        Assert.Equal(StorageProvider.PostgreSql, settings.Storage.Provider);
    }

    [Theory]
    [InlineData("DarwinGrid__Cluster__Mode", typeof(ClusterMode))]
    [InlineData("DarwinGrid__Storage__Provider", typeof(StorageProvider))]
    public void EveryNameOfAnEnumSettingPassesAndTheMessageListsThemAll(string name, Type enumType)
    {
        // The allowed values come from the settings types, so a new member needs no change here.
        foreach (var member in Enum.GetNames(enumType))
            Assert.DoesNotContain(DeploySettingsCatalog.Check(new Dictionary<string, string>(Good) { [name] = member }), p => p.StartsWith(name, StringComparison.Ordinal));
        var problem = Assert.Single(DeploySettingsCatalog.Check(new Dictionary<string, string>(Good) { [name] = "nope" }));
        Assert.Contains(string.Join(" | ", DeploySettingsCatalog.AllowedValues(enumType, lowerCase: false)), problem);
    }

    [Theory]
    [InlineData("DarwinGrid__Devcies__0", "gpu0", "unknown setting DarwinGrid:Devcies:0")]
    [InlineData("DarwinGrid_Cluster__Mode", "Redis", "not a DarwinGrid__ setting")]
    [InlineData("DarwinGrid__Cluster__Mode", "Kubernetes", "expected one of Localhost | Redis (DarwinGrid:Cluster:Mode is the enum ClusterMode)")]
    [InlineData("DarwinGrid__Cluster__Mode", "1", "expected one of Localhost | Redis")]
    [InlineData("DarwinGrid__Storage__Provider", "Postgres", "expected one of Sqlite | PostgreSql (DarwinGrid:Storage:Provider is the enum StorageProvider)")]
    [InlineData("DarwinGrid__Silo__Role", "tpu", "expected one of cpu | gpu (DarwinGrid:Silo:Role is parsed as SiloRole)")]
    [InlineData("DarwinGrid__Silo__Role", "cpu", "DarwinGrid:Silo:Role is cpu but DarwinGrid:Devices lists gpu0")]
    [InlineData("DarwinGrid__Devices__0", "cpu0", "DarwinGrid:Silo:Role is gpu but DarwinGrid:Devices (cpu0) lists no gpu device")]
    [InlineData("DarwinGrid__SiloPort", "eleven", "does not bind to DarwinGridSettings")]
    [InlineData("DarwinGrid__Engine__SeqMaxx", "64", "unknown setting")]
    public void ProblemsAreReportedNamingTheVariable(string name, string value, string expected)
    {
        var env = new Dictionary<string, string>(Good) { [name] = value };
        var problem = Assert.Single(DeploySettingsCatalog.Check(env));
        Assert.Contains(expected, problem);
        Assert.True(problem.Contains(name, StringComparison.Ordinal) || problem.Contains(DeploySettingsCatalog.ToConfigurationKey(name), StringComparison.Ordinal),
            $"'{problem}' names neither {name} nor its configuration key");
    }
}
