namespace DarwinGrid.Grains.Models;

/// <summary>
/// A model grain's key names the version and the device that serves it:
/// <c>{version}@{silo}/{device}</c>. The placement director reads the silo from it.
/// </summary>
public readonly record struct ModelGrainKey(string Version, string Silo, string Device)
{
    public override string ToString() => $"{Version}@{Silo}/{Device}";

    public static ModelGrainKey Parse(string key)
    {
        var at = key.LastIndexOf('@');
        var slash = at < 0 ? -1 : key.IndexOf('/', at);
        if (at <= 0 || slash < 0 || slash == key.Length - 1)
            throw new FormatException($"Model grain key '{key}' is not of the form version@silo/device.");
        return new ModelGrainKey(key[..at], key[(at + 1)..slash], key[(slash + 1)..]);
    }
}
