using DarwinGrid.Deploy.Tests.Support;

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
        ["DarwinGrid__Web__ApiKeys__0"] = "k",
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

    [Theory]
    [InlineData("DarwinGrid__Devcies__0", "gpu0", "unknown setting DarwinGrid:Devcies:0")]
    [InlineData("DarwinGrid_Cluster__Mode", "Redis", "not a DarwinGrid__ setting")]
    [InlineData("DarwinGrid__Cluster__Mode", "Kubernetes", "expected one of Localhost | Redis")]
    [InlineData("DarwinGrid__Storage__Provider", "Postgres", "expected one of Sqlite | PostgreSql")]
    [InlineData("DarwinGrid__Silo__Role", "tpu", "expected one of cpu | gpu")]
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
