using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using DarwinGrid.Domain.Candidates;
using DarwinGrid.Domain.Data;
using DarwinGrid.Domain.Magpie;

namespace DarwinGrid.Grains.Campaigns;

/// <summary>Reads the candidates of CSV and generator sources, lazily, and builds generators.</summary>
public sealed class CandidateSources(string? dataDirectory)
{
    private readonly Lazy<ChargeNeutrality> _neutrality = new(() =>
        ChargeNeutrality.FromMagpie(MagpieTables.Load(Path.Combine(SharedDataLocator.Locate(dataDirectory), "magpie_elementdata"))));

    /// <exception cref="CandidateSpecException">The spec is invalid.</exception>
    public CandidateGenerator CreateGenerator(CandidateGenerationSpec spec)
    {
        ChargeNeutrality? neutrality = null;
        if (spec.RequireChargeNeutral)
        {
            try
            {
                neutrality = _neutrality.Value;
            }
            catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or KeyNotFoundException)
            {
                throw new CandidateSpecException($"'neutral' needs the Magpie oxidation states, which could not be read: {e.Message}");
            }
        }
        return new CandidateGenerator(spec, neutrality);
    }

    /// <summary>The column's cells, one per data row, in file order.</summary>
    public static IEnumerable<string?> ReadCsvColumn(string path, string column, CancellationToken cancellationToken)
    {
        var index = CampaignDefinitionValidator.CheckCsvHeader(path, column);
        using var reader = new CsvReader(new StreamReader(path), new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null });
        reader.Read();
        reader.ReadHeader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return reader.GetField(index);
        }
    }
}
