using System.Text.Json;
using DarwinGrid.Domain.Prompts;

namespace DarwinGrid.Training.Tokenization;

/// <summary>One DARWIN instruction record (<c>{instruction, input, output}</c>) and the file it came from.</summary>
public sealed record CorpusInstruction(string Instruction, string Input, string Output, string Source)
{
    /// <summary>The training text: DARWIN's prompt (Alpaca template, as train.py) followed by the output.</summary>
    public string ToTrainingText() => Prompt + Output;

    public string Prompt => DarwinAlpacaPromptFormat.Instance.Complete(Instruction, Input);
}

/// <summary>One literature question-answer pair (SciQAG <c>{Q, A}</c>).</summary>
public sealed record QuestionAnswer(string Question, string Answer, string Source);

/// <summary>A JSON file (or part of one) that was not in either expected shape, and why.</summary>
public sealed record SkippedCorpusFile(string Path, string Reason);

/// <summary>
/// The text of the shared data the built-in vocabulary is learnt from: DARWIN's instruction JSON
/// files (<c>darwin/*/*.json</c>) and the SciQAG question-answer pairs (<c>sciqag/*.json</c>).
/// Records are found wherever they are nested; files holding anything else are skipped and listed.
/// Files are read in ordinal path order so the corpus, and everything built from it, is stable.
/// </summary>
public sealed class SharedCorpus
{
    private const int MaxDepth = 16;

    private SharedCorpus(IReadOnlyList<CorpusInstruction> instructions, IReadOnlyList<QuestionAnswer> questionAnswers, IReadOnlyList<SkippedCorpusFile> skipped)
    {
        Instructions = instructions;
        QuestionAnswers = questionAnswers;
        Skipped = skipped;
    }

    public IReadOnlyList<CorpusInstruction> Instructions { get; }

    public IReadOnlyList<QuestionAnswer> QuestionAnswers { get; }

    public IReadOnlyList<SkippedCorpusFile> Skipped { get; }

    /// <summary>
    /// Every text the vocabulary learns from: each instruction record's prompt and its output as two
    /// texts, each question, each answer. Prompt and output stay separate so no learnt phrase spans
    /// "### Response:" and the answer: a prompt then tokenizes the same alone as inside prompt +
    /// answer, which inference (prompt alone, then the answer's tokens) and training both rely on.
    /// </summary>
    public IEnumerable<string> Texts() =>
        Instructions.SelectMany(r => new[] { r.Prompt, r.Output })
            .Concat(QuestionAnswers.SelectMany(qa => new[] { qa.Question, qa.Answer }));

    /// <param name="dataRoot">The shared data folder (the one holding <c>darwin/</c> and <c>sciqag/</c>).</param>
    public static SharedCorpus Load(string dataRoot)
    {
        if (!Directory.Exists(dataRoot))
            throw new DirectoryNotFoundException($"Shared data folder '{dataRoot}' does not exist.");
        var instructions = new List<CorpusInstruction>();
        var questionAnswers = new List<QuestionAnswer>();
        var skipped = new List<SkippedCorpusFile>();

        foreach (var path in JsonFiles(dataRoot, "darwin"))
        {
            var before = instructions.Count;
            using var document = Parse(path);
            Walk(document.RootElement, 0, element =>
            {
                if (TryString(element, "instruction", out var instruction) && TryString(element, "output", out var output))
                {
                    TryString(element, "input", out var input);
                    instructions.Add(new CorpusInstruction(instruction, input, output, Relative(dataRoot, path)));
                    return true;
                }
                return false;
            });
            if (instructions.Count == before) skipped.Add(new SkippedCorpusFile(path, "no {instruction, input, output} records"));
        }

        foreach (var path in JsonFiles(dataRoot, "sciqag"))
        {
            var before = questionAnswers.Count;
            using var document = Parse(path);
            Walk(document.RootElement, 0, element =>
            {
                if (TryString(element, "Q", out var question) && TryString(element, "A", out var answer))
                {
                    questionAnswers.Add(new QuestionAnswer(question, answer, Relative(dataRoot, path)));
                    return true;
                }
                return false;
            });
            if (questionAnswers.Count == before) skipped.Add(new SkippedCorpusFile(path, "no {Q, A} records"));
        }

        if (instructions.Count == 0 && questionAnswers.Count == 0)
            throw new InvalidDataException($"No instruction records or question-answer pairs found under '{dataRoot}' (looked in darwin/*/*.json and sciqag/*.json).");
        return new SharedCorpus(instructions, questionAnswers, skipped);
    }

    private static IEnumerable<string> JsonFiles(string root, string folder)
    {
        var directory = Path.Combine(root, folder);
        if (!Directory.Exists(directory)) return [];
        return Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 256 });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>Visits objects and arrays depth-first; an object the visitor accepts is not descended into.</summary>
    private static void Walk(JsonElement element, int depth, Func<JsonElement, bool> visit)
    {
        if (depth > MaxDepth) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (visit(element)) return;
                foreach (var property in element.EnumerateObject()) Walk(property.Value, depth + 1, visit);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, depth + 1, visit);
                break;
        }
    }

    private static bool TryString(JsonElement element, string name, out string value)
    {
        value = "";
        if (!element.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.String) return false;
        value = property.GetString() ?? "";
        return true;
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
