using System.Text.Json;

namespace DarwinGrid.Domain.Datasets;

/// <summary>Reads DARWIN's instruction JSON: an array of {"instruction", "input", "output"} strings.</summary>
public static class InstructionJsonReader
{
    public static IReadOnlyList<InstructionRecord> Read(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: expected a JSON array of instruction records.");

        var records = new List<InstructionRecord>();
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            records.Add(new InstructionRecord(index,
                Field(element, "instruction", path, index),
                Field(element, "input", path, index),
                Field(element, "output", path, index)));
            index++;
        }
        return records;
    }

    private static string Field(JsonElement element, string name, string path, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: record {index} is not an object.");
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
            throw new InvalidDataException($"{path}: record {index} has no string field '{name}'.");
        return value.GetString()!;
    }
}
