using System.Security.Cryptography;
using DarwinGrid.Domain.Datasets;

namespace DarwinGrid.Training.Data;

/// <summary>A data file a dataset was built from, identified by content.</summary>
/// <param name="Path">Relative to the data folder, '/' separated (e.g. <c>darwin/Pei/Pei.csv</c>).</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
public sealed record DataFileHash(string Path, string Sha256, long Bytes)
{
    public static DataFileHash Of(string dataRoot, string relativePath)
    {
        var full = DataFiles.Resolve(dataRoot, relativePath);
        using var stream = File.OpenRead(full);
        var hash = SHA256.HashData(stream);
        return new DataFileHash(relativePath, Convert.ToHexStringLower(hash), stream.Length);
    }

    /// <summary>Each distinct path once, in ordinal order.</summary>
    public static IReadOnlyList<DataFileHash> OfAll(string dataRoot, IEnumerable<string> relativePaths) =>
        relativePaths.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(p => Of(dataRoot, p)).ToArray();
}
