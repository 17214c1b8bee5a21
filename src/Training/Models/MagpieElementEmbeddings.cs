using DarwinGrid.Domain.Descriptors;
using DarwinGrid.Domain.Elements;
using DarwinGrid.Domain.Magpie;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Models;

/// <summary>
/// Element-token embeddings that start out knowing chemistry (as CrabNet starts from mat2vec): each
/// element's vector of the 22 Magpie preset properties (matminer's, <see cref="MagpieFeaturizer.PresetProperties"/>),
/// standardised over the elements the table covers (a missing value becomes the column mean, i.e. 0),
/// times a fixed seeded Gaussian matrix [22 x E] scaled so a row has the random rows' spread. The
/// projection keeps distances approximately (Johnson-Lindenstrauss), so Na and K start closer
/// than Na and Cl; training moves the rows freely afterwards. Only the rows whose piece is exactly
/// an element symbol (<c>Fe</c>, <c>O</c>) are written; an element with no Magpie value at all keeps its random row.
/// </summary>
public static class MagpieElementEmbeddings
{
    /// <summary>The folder of the Magpie tables inside the shared data folder.</summary>
    public const string DataFolder = "magpie_elementdata";

    /// <summary>Overwrites the element rows of <paramref name="tokenEmbedding"/> ([E, V] in ggml order: row t at t*E) in place.</summary>
    /// <returns>The token ids written.</returns>
    public static IReadOnlyList<int> Write(float[] tokenEmbedding, int embeddingLength, Vocabulary vocabulary, MagpieTables tables, int seed, float std = 0.02f)
    {
        ArgumentNullException.ThrowIfNull(tokenEmbedding);
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentNullException.ThrowIfNull(tables);
        if (tokenEmbedding.Length != (long)embeddingLength * vocabulary.Count)
            throw new ArgumentException($"token_embd has {tokenEmbedding.Length} values, not {embeddingLength} x {vocabulary.Count}.", nameof(tokenEmbedding));

        var properties = StandardisedProperties(tables);
        var projection = Projection(properties.Columns, embeddingLength, seed, std);
        var written = new List<int>();
        for (var id = 0; id < vocabulary.Count; id++)
        {
            if (!PeriodicTable.TryGetBySymbol(vocabulary.Pieces[id].Piece, out var element)) continue;
            if (properties.Rows[element.AtomicNumber - 1] is not { } x) continue;
            var row = tokenEmbedding.AsSpan(id * embeddingLength, embeddingLength);
            for (var j = 0; j < embeddingLength; j++)
            {
                var sum = 0.0;
                for (var k = 0; k < x.Length; k++) sum += x[k] * projection[k * embeddingLength + j];
                row[j] = (float)sum;
            }
            written.Add(id);
        }
        return written;
    }

    /// <summary>Loads the tables from <c>DATA/magpie_elementdata</c> and writes the rows.</summary>
    public static IReadOnlyList<int> Write(float[] tokenEmbedding, int embeddingLength, Vocabulary vocabulary, string dataRoot, int seed) =>
        Write(tokenEmbedding, embeddingLength, vocabulary, MagpieTables.Load(Path.Combine(dataRoot, DataFolder)), seed);

    private sealed record Standardised(int Columns, double[]?[] Rows);

    /// <summary>Per atomic number the z-scored property vector; null where the element has no value in any table.</summary>
    private static Standardised StandardisedProperties(MagpieTables tables)
    {
        var columns = MagpieFeaturizer.PresetProperties.Select(name => tables[name]).ToArray();
        var rows = new double[]?[PeriodicTable.ElementCount];
        for (var c = 0; c < columns.Length; c++)
        {
            var known = PeriodicTable.All.Where(e => columns[c].ValueOf(e) is not null).ToArray();
            var values = known.Select(e => columns[c].ValueOf(e)!.Value).ToArray();
            var mean = values.Average();
            var sd = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Length);
            foreach (var element in known)
            {
                var row = rows[element.AtomicNumber - 1] ??= new double[columns.Length];
                row[c] = sd > 0 ? (columns[c].ValueOf(element)!.Value - mean) / sd : 0;
            }
        }
        return new Standardised(columns.Length, rows);
    }

    /// <summary>[d x E] with entries N(0, std^2 / d): a standardised d-vector maps to coordinates of spread about std.</summary>
    private static double[] Projection(int d, int embeddingLength, int seed, float std)
    {
        var random = SplitMix64Random.Stream(seed, "magpie-element-embeddings");
        var scale = std / Math.Sqrt(d);
        var values = new double[d * embeddingLength];
        for (var i = 0; i < values.Length; i++)
        {
            // Box-Muller, one normal per pair of uniforms (simple; the matrix is small).
            var u1 = 1.0 - random.NextDouble();
            var u2 = random.NextDouble();
            values[i] = Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2) * scale;
        }
        return values;
    }
}
