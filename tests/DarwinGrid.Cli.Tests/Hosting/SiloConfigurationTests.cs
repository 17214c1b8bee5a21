using DarwinGrid.Silo.Hosting;
using DarwinGrid.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DarwinGrid.Cli.Tests.Hosting;

/// <summary>Issue 18: a bad configuration value stops the silo at start, and the message names the key to change.</summary>
public sealed class SiloConfigurationTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("silo-configuration-").FullName;

    private Dictionary<string, string?> Settings(string key, string value) => new()
    {
        ["DarwinGrid:Home"] = _home,
        ["DarwinGrid:DataDir"] = SharedData.Root,
        ["DarwinGrid:Web:OrleansDashboard"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
        [key] = value,
    };

    [Theory]
    [InlineData("DarwinGrid:Screening:BatchSize", "0")]
    [InlineData("DarwinGrid:Screening:KeeperInterval", "-00:00:01")]
    [InlineData("DarwinGrid:Engine:SeqMax", "-4")]
    [InlineData("DarwinGrid:Training:MaxLossPoints", "1")]
    public async Task AnOutOfRangeGrainOptionFailsTheStartNamingItsKey(string key, string value)
    {
        using var silo = DarwinHost.CreateSilo(Settings(key, value), (DarwinHost.FreePort(), DarwinHost.FreePort()));
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => silo.StartAsync());
        Assert.Contains(key, error.Message);
        Assert.Contains($"{key} must be", error.Message);
    }

    [Fact]
    public void AValueOfTheWrongTypeFailsTheBuildNamingItsKey()
    {
        var error = Assert.Throws<ArgumentException>(() => DarwinHost.CreateSilo(Settings("DarwinGrid:Screening:BatchSize", "many")));
        Assert.Contains("DarwinGrid:Screening:BatchSize", error.Message);
    }

    [Fact]
    public void ReadingSettingsNamesTheKeyOfAValueOfTheWrongType()
    {
        var error = Assert.Throws<ArgumentException>(() => DarwinHost.ReadSettings(Settings("DarwinGrid:SiloPort", "eleven")));
        Assert.Contains("DarwinGrid:SiloPort", error.Message);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_home, recursive: true);
    }
}
