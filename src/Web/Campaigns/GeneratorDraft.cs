using System.Collections.Immutable;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Grains.Campaigns;

namespace DarwinGrid.Web.Campaigns;

/// <summary>
/// The generator form: a template, one site or variable definition per line, and the flags. It
/// writes the spec text the CLI reads (src/Domain/Candidates/TEMPLATE-SYNTAX.md) and parses it with
/// the domain's parser, so the dashboard and <c>darwin screen --generate</c> accept the same specs.
/// </summary>
public sealed class GeneratorDraft
{
    public string Template { get; set; } = "{A}{B}O3";

    public string Definitions { get; set; } = "A=alkaline-earth\nB=3d";

    public bool ChargeNeutral { get; set; } = true;

    public bool DistinctElements { get; set; }

    public long? Limit { get; set; }

    public string SpecText() => CandidateSpecParser.Compose(Template.Trim(),
        Definitions.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), ChargeNeutral, DistinctElements, Limit);

    /// <exception cref="CandidateSpecException">The spec is invalid; the message names the problem.</exception>
    public CandidateGenerationSpec Parse() => CandidateSpecParser.Parse(SpecText());
}

/// <summary>What a generator spec will produce: a count (exact, or an upper bound for huge spaces) and the first few candidates.</summary>
public sealed record GeneratorPreview(long Count, bool Exact, ImmutableArray<string> First, string? Error)
{
    public static GeneratorPreview Invalid(string error) => new(0, true, [], error);
}
