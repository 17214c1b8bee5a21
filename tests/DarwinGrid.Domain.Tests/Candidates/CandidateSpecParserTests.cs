using DarwinGrid.Domain.Candidates;

namespace DarwinGrid.Domain.Tests.Candidates;

public class CandidateSpecParserTests
{
    [Fact]
    public void ReadsSitesGroupsFlagsAndVariables()
    {
        var spec = CandidateSpecParser.Parse("{A}2{B}{X}4; A=alkali,-Fr; B=Ge,Sn; X=S,Se,Te; neutral; distinct; limit=100");
        Assert.Equal("{A}2{B}{X}4", spec.Template);
        Assert.Equal(["A", "B", "X"], spec.Sites.Select(s => s.Name));
        Assert.Equal(["Li", "Na", "K", "Rb", "Cs"], spec.Sites[0].Elements.Select(e => e.Symbol));
        Assert.True(spec.RequireChargeNeutral);
        Assert.True(spec.DistinctElements);
        Assert.Equal(100, spec.Limit);

        var doping = CandidateSpecParser.Parse("Ba{1-x}Sr{x}TiO3\nx = 0..0.5:0.1");
        Assert.Equal(new DopingSeries("x", 0m, 0.5m, 0.1m), doping.Variables.Single());
        Assert.False(doping.RequireChargeNeutral);
        Assert.Null(doping.Limit);
    }

    [Fact]
    public void WritesBackTextThatParsesToTheSameSpec()
    {
        var spec = CandidateSpecParser.Parse("{A}{B}O{3-x*y}; A=alkaline-earth; B=Ti,Zr; x=0.25; y=0..1:0.5; neutral; limit 5");
        var text = spec.ToString();
        Assert.Equal("{A}{B}O{3-x*y}; A=Be,Mg,Ca,Sr,Ba,Ra; B=Ti,Zr; x=0.25; y=0..1:0.5; neutral; limit=5", text);
        Assert.Equal(text, CandidateSpecParser.Parse(text).ToString());
    }

    [Fact]
    public void BareSiteLettersWorkWhenTheyAreNotElements()
    {
        var generator = new CandidateGenerator(CandidateSpecParser.Parse("A2{B}X4; A=Ba; B=Ge; X=S"));
        Assert.Equal("Ba2GeS4", generator.Generate().Single().CanonicalFormula);
        // Longest symbol first: 'Al' is aluminium although a site A exists.
        var withAl = new CandidateGenerator(CandidateSpecParser.Parse("AAlX2; A=Li; X=O"));
        Assert.Equal("AlLiO2", withAl.Generate().Single().CanonicalFormula);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("A=Li; {A}O", "must start with the template")]
    [InlineData("{A}O; A=alkalis", "'alkalis' is neither an element symbol nor an element group")]
    [InlineData("{A}O; A=alkalis", "chalcogens")]
    [InlineData("{A}O; A=li", "did you mean 'Li'")]
    [InlineData("{A}2{Q}; A=Li", "placeholder '{Q}' is not defined")]
    [InlineData("{A}2Q; A=Li", "'Q' is neither an element symbol nor a defined site")]
    [InlineData("A2BX4; A=alkali; B=Ge,Sn; X=S", "'B' is both the element Boron and a site name; write the site as {B}")]
    [InlineData("{A}O; A=Li; B=Na", "Site 'B' is defined but template '{A}O' never uses it")]
    [InlineData("FeO; x=0..1:0.5", "Variable 'x' is defined but")]
    [InlineData("Fe{x}O; x=0.5..0:0.1", "runs backwards")]
    [InlineData("Fe{x}O; x=0..1", "has no step")]
    [InlineData("Fe{x}O; x=0..1:0", "step 0 must be positive")]
    [InlineData("Fe{x}O; x=0..1:abc", "the range step 'abc' is not a number")]
    [InlineData("Fe{x}O; x=0..1000000:0.0001", "more than 1,000,000 values")]
    [InlineData("Fe{y}O; x=0..1:0.5", "'y' is not a defined variable; add a clause such as 'y=0..0.5:0.1'")]
    [InlineData("{x}FeO; x=0..1:0.5", "the amount '{x}' follows no element or site")]
    [InlineData("Fe{1-x O; x=0..1:0.5", "'{' is never closed")]
    [InlineData("Fe(O2", "'(' is never closed")]
    [InlineData("FeO3{x}; x=0..1:0.5", "the amount '{x}' follows no element or site")]
    [InlineData("Fe{x}O; x=0..1:0.5; B=3d", "Site 'B' is defined but")]
    [InlineData("Fe{2*A}O; A=Li", "site 'A' cannot be used inside an amount")]
    [InlineData("Fe0O", "the amount of Fe is 0; amounts must be positive")]
    [InlineData("{A}{A}; A=Li; A=Na", "'A' is defined twice")]
    [InlineData("{A}O; A=Li,-Li", "leaves no elements")]
    [InlineData("{A}O; A=Li; limit=0", "the limit must be a positive whole number")]
    [InlineData("{A}O; A=Li; frobnicate", "is neither a definition")]
    [InlineData("{neutral}O; neutral=Li", "'neutral' is a keyword")]
    public void ErrorsNameTheProblem(string spec, string expected)
    {
        var error = Assert.Throws<CandidateSpecException>(() => CandidateSpecParser.Parse(spec));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void TemplateErrorsGiveThePosition()
    {
        var error = Assert.Throws<CandidateSpecException>(() => CandidateSpecParser.Parse("{A}2{Q}{X}4; A=Li; X=S"));
        Assert.Contains("Template '{A}2{Q}{X}4', position 5", error.Message);
    }

    [Fact]
    public void ASiteMayFollowASiteDirectly()
    {
        // {A}{B}: {B} is a site, not A's amount, because B is defined as a site.
        var spec = CandidateSpecParser.Parse("{A}{B}; A=Li; B=F");
        var terms = new CandidateGenerator(spec).Template.Terms;
        Assert.Equal(2, terms.Count);
        Assert.All(terms, t => Assert.True(t.IsSite));
    }
}
