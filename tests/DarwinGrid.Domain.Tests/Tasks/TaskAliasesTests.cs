using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Tests.Tasks;

public class TaskAliasesTests
{
    [Fact]
    public void EveryAliasNamesACatalogTaskAndNoAliasShadowsATaskName()
    {
        foreach (var (alias, task) in TaskAliases.All)
        {
            Assert.NotNull(TaskCatalog.TryGet(task));
            Assert.Null(TaskCatalog.TryGet(alias));
        }
    }

    [Theory]
    [InlineData("band_gap", "matbench_expt_gap")]
    [InlineData("Band-Gap", "matbench_expt_gap")]
    [InlineData("is metal", "matbench_is_metal")]
    [InlineData("glass", "matbench_glass")]
    [InlineData("yield_strength", "matbench_steels")]
    [InlineData("PEI_PHASE", "pei_phase")]
    public void ResolvesAliasesAndNames(string text, string task) => Assert.Equal(task, TaskAliases.Resolve(text).Name);

    [Fact]
    public void EveryCatalogNameResolvesToItself()
    {
        foreach (var task in TaskCatalog.All)
            Assert.Same(task, TaskAliases.Resolve(task.Name));
    }

    [Fact]
    public void UnknownNamesListTheAlternatives()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => TaskAliases.Resolve("pce"));
        Assert.Contains("band_gap", error.Message);
        Assert.Contains("sii_mdp_pce", error.Message);
    }
}
