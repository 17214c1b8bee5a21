using System.Text.Json;

namespace DarwinGrid.Domain.Datasets;

/// <summary>Reads SciQAG's <c>[{"Q": ..., "A": ...}]</c> files; pairs with an empty side are reported, not kept.</summary>
public static class SciQagLoader
{
    /// <summary>The SciQAG test split in the shared data folder.</summary>
    public const string TestSplit = "sciqag/sciqag_test_qas_8531.json";

    public static DatasetLoad<QaRecord> Load(string path)
    {
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: expected a JSON array of {{\"Q\", \"A\"}} pairs.");

        var file = Path.GetFileName(path);
        var records = new List<QaRecord>();
        var skipped = new List<SkippedRow>();
        var index = 0;
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var question = Text(element, "Q");
            var answer = Text(element, "A");
            if (string.IsNullOrWhiteSpace(question) || string.IsNullOrWhiteSpace(answer))
                skipped.Add(new SkippedRow(file, index + 1, "missing or empty \"Q\" or \"A\""));
            else
                records.Add(new QaRecord(index, question.Trim(), answer.Trim()));
            index++;
        }
        return new DatasetLoad<QaRecord>(records, skipped);
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
