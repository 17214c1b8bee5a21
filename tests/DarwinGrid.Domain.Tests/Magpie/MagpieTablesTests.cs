using DarwinGrid.Domain.Elements;
using DarwinGrid.Domain.Magpie;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Magpie;

public class MagpieTablesTests
{
    private static readonly Lazy<MagpieTables> Shared = new(() => MagpieTables.Load(SharedData.PathOf("magpie_elementdata")));
    private static MagpieTables Tables => Shared.Value;
    private static Element E(string symbol) => PeriodicTable.BySymbol(symbol);

    [Fact]
    public void LoadsOneTablePerTableFile()
    {
        var files = Directory.GetFiles(SharedData.PathOf("magpie_elementdata"), "*.table")
            .Select(Path.GetFileNameWithoutExtension);
        Assert.Equal(files.Order(StringComparer.Ordinal), Tables.Names);
    }

    [Fact]
    public void ReadsKnownSingleValues()
    {
        Assert.Equal(55.845, Tables["AtomicWeight"].ValueOf(E("Fe"))!.Value, 3);
        Assert.Equal(1.00794, Tables["AtomicWeight"].ValueOf(E("H"))!.Value, 5);
        Assert.Equal(3.44, Tables["Electronegativity"].ValueOf(E("O")));
        Assert.Equal(26, Tables["Number"].ValueOf(E("Fe")));
        Assert.Equal(1, Tables["IsMetal"].ValueOf(E("Li")));
    }

    [Theory]
    [InlineData("Electronegativity", "He")]       // "Missing"
    [InlineData("ElectronAffinity", "Ac")]        // Missing["NotAvailable"]
    [InlineData("ElectronAffinity", "Th")]        // Missing["Unknown"]
    [InlineData("AllenElectronegativity", "Pt")]  // "None"
    [InlineData("MiracleRadius", "H")]            // "NA"
    [InlineData("AtomicRadius", "Og")]            // past the end of a 103-line file
    public void MissingMarkersReadAsNull(string table, string symbol)
    {
        Assert.Null(Tables[table].ValueOf(E(symbol)));
        Assert.True(Tables[table].IsMissing(E(symbol)));
        Assert.Empty(Tables[table].ValuesOf(E(symbol)));
    }

    [Fact]
    public void MultiValuedTablesGiveAllValuesAndRefuseASingleOne()
    {
        var ionization = Tables["IonizationEnergies"];
        Assert.True(ionization.IsMultiValued);
        Assert.Equal([13.598443], ionization.ValuesOf(E("H")));
        Assert.Equal(8, ionization.ValuesOf(E("O")).Count);
        Assert.Empty(ionization.ValuesOf(E("At"))); // empty line 85
        var error = Assert.Throws<InvalidOperationException>(() => ionization.ValueOf(E("H")));
        Assert.Contains("IonizationEnergies", error.Message);
    }

    [Fact]
    public void OxidationStatesAreWholeNumbersAndEmptyForNobleGases()
    {
        Assert.Equal([-2], Tables.OxidationStates(E("O")));
        Assert.Contains(2, Tables.OxidationStates(E("Fe")));
        Assert.Contains(3, Tables.OxidationStates(E("Fe")));
        Assert.Equal([-4, 2, 4], Tables.OxidationStates(E("C")));
        Assert.Empty(Tables.OxidationStates(E("He")));
        Assert.Empty(Tables.OxidationStates(E("Ar")));
    }

    [Theory]
    [InlineData("MeltingT", "K")]
    [InlineData("Density", "g/L")]
    [InlineData("FirstIonizationEnergy", "eV")]
    [InlineData("SecondIonizationEnergy", "eV")] // README heads this block "FirstIonizationEnergy.table"
    [InlineData("GSestBCClatcnt", "Angstrom")]    // README put these units under HeatCapacityMolar
    [InlineData("HeatCapacityMolar", "J/mol-K")]
    public void UnitsComeFromTheReadme(string table, string units) => Assert.Equal(units, Tables[table].Units);

    [Fact]
    public void TablesWithoutUnitsInTheReadmeHaveNone() => Assert.Null(Tables["Column"].Units);

    [Fact]
    public void UnknownTableNameListsTheKnownOnes()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => Tables["Electronegativty"]);
        Assert.Contains("Electronegativity", error.Message);
    }

    [Fact]
    public void GarbageInATableNamesFileAndLine()
    {
        var dir = Directory.CreateTempSubdirectory("magpie").FullName;
        try
        {
            File.WriteAllLines(Path.Combine(dir, "Broken.table"), ["1.0", "Missing", "twelve"]);
            var error = Assert.Throws<InvalidDataException>(() => MagpieTables.Load(dir));
            Assert.Contains("Broken.table:3", error.Message);
            Assert.Contains("'twelve'", error.Message);
            Assert.Contains("Li", error.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MissingFolderIsReported()
    {
        var error = Assert.Throws<DirectoryNotFoundException>(() => MagpieTables.Load("/no/such/magpie/folder"));
        Assert.Contains("/no/such/magpie/folder", error.Message);
    }
}
