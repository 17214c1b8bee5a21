using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Magpie;
using DarwinGrid.TestSupport;

namespace DarwinGrid.Domain.Tests.Candidates;

/// <summary>The real Magpie oxidation states from the shared data, loaded once per test run.</summary>
internal static class OxidationData
{
    private static readonly Lazy<ChargeNeutrality> Shared =
        new(() => ChargeNeutrality.FromMagpie(MagpieTables.Load(SharedData.PathOf("magpie_elementdata"))));

    public static ChargeNeutrality Neutrality => Shared.Value;

    public static CandidateGenerator Generator(string spec) =>
        new(CandidateSpecParser.Parse(spec), Neutrality);

    public static string[] Formulas(string spec) =>
        Generator(spec).Generate().Select(c => c.CanonicalFormula).ToArray();
}
