using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Magpie;
using Microsoft.Extensions.Configuration;

namespace DarwinGrid.Web.Campaigns;

/// <summary>
/// Counts what a generator spec produces, with the same oxidation states the silos use for
/// "neutral" (Magpie's table in the shared data folder: <c>DarwinGrid:DataDir</c>, else found as the CLI finds it).
/// </summary>
public sealed class GeneratorPreviewer(IConfiguration configuration)
{
    /// <summary>Up to this many raw choices the count is exact (walking them takes well under a second).</summary>
    public const long ExactCountLimit = 2_000_000;

    public const int PreviewCount = 8;

    private readonly Lazy<ChargeNeutrality> _neutrality = new(() =>
        ChargeNeutrality.FromMagpie(MagpieTables.Load(Path.Combine(SharedDataLocator.Locate(configuration["DarwinGrid:DataDir"]), "magpie_elementdata"))));

    public GeneratorPreview Preview(GeneratorDraft draft, CancellationToken cancellationToken = default)
    {
        try
        {
            var spec = draft.Parse();
            var generator = new CandidateGenerator(spec, spec.RequireChargeNeutral ? _neutrality.Value : null);
            var first = generator.Generate(cancellationToken).Take(PreviewCount).Select(c => c.CanonicalFormula).ToList();
            return generator.RawSpaceSize() <= ExactCountLimit
                ? new GeneratorPreview(generator.Count(cancellationToken), true, [.. first], null)
                : new GeneratorPreview(generator.CountUpperBound(), false, [.. first], null);
        }
        catch (CandidateSpecException e)
        {
            return GeneratorPreview.Invalid(e.Message);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or DirectoryNotFoundException or KeyNotFoundException)
        {
            return GeneratorPreview.Invalid($"'neutral' needs the Magpie oxidation states from the shared data folder: {e.Message}");
        }
    }
}
