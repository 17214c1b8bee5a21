using DarwinGrid.Grains.Storage;

namespace DarwinGrid.Grains.Tests.Storage;

/// <summary>The per-vendor schema scripts stay in step: a step added for one vendor and not the other fails here, not in a cluster.</summary>
public sealed class SchemaScriptsTests
{
    [Theory]
    [InlineData(SchemaScripts.Results)]
    [InlineData(SchemaScripts.GrainState)]
    public void EveryVendorHasTheSameStepsWithTheSameDescriptions(string component)
    {
        var sqlite = SchemaScripts.Load("Sqlite", component);
        var postgres = SchemaScripts.Load("PostgreSql", component);

        Assert.Equal(sqlite.Select(s => (s.Version, s.Description)), postgres.Select(s => (s.Version, s.Description)));
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(s => s.Version));
        Assert.All(sqlite.Concat(postgres), step =>
        {
            Assert.False(string.IsNullOrWhiteSpace(step.Description));
            Assert.Contains(component == SchemaScripts.Results ? "campaign" : "grain_state", step.Sql);
        });
    }

    [Fact]
    public void AComponentWithoutScriptsIsRefusedNamingIt()
    {
        var error = Assert.Throws<InvalidOperationException>(() => SchemaScripts.Load("Sqlite", "no_such_component"));
        Assert.Contains("no_such_component", error.Message);
    }
}
