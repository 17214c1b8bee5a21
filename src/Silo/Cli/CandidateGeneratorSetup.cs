using System.CommandLine;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Magpie;

namespace DarwinGrid.Silo.Cli;

/// <summary>The <c>--spec</c> option of the candidates verbs and turning its text into a generator.</summary>
internal static class CandidateGeneratorSetup
{
    public const int ExitOk = 0;
    public const int ExitBadInput = 2;

    public const string SpecHelp =
        "Template and definitions separated by ';', e.g. \"{A}2{B}{X}4; A=alkali; B=Ge,Sn; X=S,Se,Te; neutral\" or " +
        "\"Ba{1-x}Sr{x}TiO3; x=0..0.5:0.1\". Sites: NAME=symbols and groups (alkali, alkaline-earth, transition-metals, 3d, 4d, 5d, " +
        "lanthanides, actinides, rare-earths, triels, tetrels, pnictogens, chalcogens, halogens, noble-gases, metalloids, group-N; " +
        "-X removes). Variables: NAME=from..to:step. Flags: neutral (charge-neutral by Magpie oxidation states), distinct " +
        "(no element twice), limit=N. See src/Domain/Candidates/TEMPLATE-SYNTAX.md.";

    public static Option<string> Spec() => new("--spec", "-s") { Description = SpecHelp, Required = true };

    /// <summary>
    /// Parses the spec, caps it by <paramref name="limit"/>, and loads the oxidation states when it asks for
    /// neutrality; null (with the problem written to <paramref name="error"/>) when any of that fails.
    /// </summary>
    public static CandidateGenerator? TryCreate(string specText, long? limit, string? dataDir, TextWriter error)
    {
        CandidateGenerationSpec spec;
        try
        {
            spec = CandidateSpecParser.Parse(specText);
        }
        catch (CandidateSpecException e)
        {
            error.WriteLine($"Invalid spec: {e.Message}");
            return null;
        }
        if (limit is { } cap)
        {
            if (cap <= 0)
            {
                error.WriteLine($"--limit must be positive, not {cap}.");
                return null;
            }
            spec = spec with { Limit = Math.Min(cap, spec.Limit ?? long.MaxValue) };
        }

        ChargeNeutrality? neutrality = null;
        if (spec.RequireChargeNeutral)
        {
            try
            {
                var magpie = Path.Combine(SharedDataLocator.Locate(dataDir), "magpie_elementdata");
                neutrality = ChargeNeutrality.FromMagpie(MagpieTables.Load(magpie));
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or KeyNotFoundException)
            {
                error.WriteLine($"'neutral' needs the Magpie oxidation states: {e.Message}");
                return null;
            }
        }

        try
        {
            return new CandidateGenerator(spec, neutrality);
        }
        catch (CandidateSpecException e)
        {
            error.WriteLine($"Invalid spec: {e.Message}");
            return null;
        }
    }
}
