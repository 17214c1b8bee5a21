namespace DarwinGrid.Domain.Datasets;

/// <summary>Resolves the '/'-separated data paths of the catalog under a data folder.</summary>
public static class DataFiles
{
    public static string Resolve(string dataRoot, string relativePath)
    {
        var path = Path.Combine([dataRoot, .. relativePath.Split('/')]);
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"Data file '{relativePath}' not found under '{dataRoot}'.", path);
    }
}
