using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Domain.Tests.Tasks;

public class CatalogShapeTests
{
    [Fact]
    public void NamesAreUniqueAndLookupsWork()
    {
        Assert.Equal(TaskCatalog.All.Count, TaskCatalog.All.Select(t => t.Name).Distinct().Count());
        Assert.Same(TaskCatalog.All[0], TaskCatalog.Get(TaskCatalog.All[0].Name.ToUpperInvariant()));
        var error = Assert.Throws<KeyNotFoundException>(() => TaskCatalog.Get("no_such_task"));
        Assert.Contains("matbench_expt_gap", error.Message);
    }

    [Fact]
    public void CatalogCoversTheTasksTheBriefRequires()
    {
        string[] required =
        [
            "matbench_expt_gap", "matbench_is_metal", "matbench_glass", "matbench_steels", "pei_phase",
            "esol_log_solubility", "chembl_lipophilicity", "water_stability", "thermoelectric_zt_300k",
            "thermoelectric_seebeck_300k", "magnetic_moment", "magnetic_formation_energy", "sii_mdp_pce",
        ];
        Assert.All(required, n => Assert.NotNull(TaskCatalog.TryGet(n)));
        Assert.True(TaskCatalog.All.Count >= 21);
    }

    [Fact]
    public void KindsAgreeWithAnswerFormats()
    {
        Assert.All(TaskCatalog.All, t =>
        {
            switch (t.Kind)
            {
                case TaskKind.Regression:
                    Assert.IsType<NumericAnswer>(t.Answer);
                    break;
                case TaskKind.Binary:
                    Assert.Equal(2, Assert.IsType<ClassAnswer>(t.Answer).Classes.Count);
                    break;
                default:
                    Assert.True(Assert.IsType<ClassAnswer>(t.Answer).Classes.Count > 2);
                    break;
            }
            Assert.NotEmpty(t.Instructions);
        });
    }

    [Fact]
    public void InstructionsEndWithDARWINsArrowExceptSIIMDP()
    {
        Assert.All(TaskCatalog.All.Where(t => t.Name != "sii_mdp_pce").SelectMany(t => t.Instructions),
            i => Assert.EndsWith(" ->", i));
    }
}
