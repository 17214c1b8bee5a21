using DarwinGrid.TestSupport;
using DarwinGrid.Training.Tokenization;

namespace DarwinGrid.Training.Tests.Tokenization;

[Collection(BuiltInVocabularyCollection.Name)]
public sealed class SharedCorpusTests(BuiltInVocabularyFixture fixture) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("corpus-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadsDarwinInstructionFilesAndSciQag()
    {
        var corpus = fixture.Corpus;
        Assert.Equal(8531, corpus.QuestionAnswers.Count); // the size the data README documents
        Assert.All(corpus.QuestionAnswers, qa => Assert.False(string.IsNullOrWhiteSpace(qa.Question + qa.Answer)));
        var sources = corpus.Instructions.Select(r => r.Source).Distinct().ToArray();
        Assert.Contains("darwin/matbench_expt_gap/matbench_expt_gap.json", sources);
        Assert.Contains("darwin/opv/opv_regression_train.json", sources);
        Assert.Equal(sources.Order(StringComparer.Ordinal), sources); // files in ordinal order
        var gap = corpus.Instructions.Where(r => r.Source.Contains("matbench_expt_gap", StringComparison.Ordinal)).ToArray();
        var csvRows = File.ReadLines(SharedData.PathOf("darwin", "matbench_expt_gap", "matbench_expt_gap.csv")).Count() - 1;
        Assert.Equal(csvRows, gap.Length); // one instruction record per CSV row
        // Files of other shapes (raw database dumps) are listed, not silently dropped.
        Assert.Contains(corpus.Skipped, s => s.Path.EndsWith("dataset_info_json_intent.json", StringComparison.Ordinal));
    }

    [Fact]
    public void FindsRecordsInNestedAndDictionaryShapedFilesAndSkipsOthers()
    {
        Write("darwin/a/nested.json", """{"train": [{"instruction": "What is x? ->", "input": " Fe\n", "output": " 1\n"}], "meta": {"n": 1}}""");
        Write("darwin/a/no_input.json", """[{"instruction": "Design a donor ->", "output": " CC\n"}, {"instruction": 3, "output": "bad"}]""");
        Write("darwin/b/other.json", """[{"formula": "Fe2O3", "gap": 2.2}]""");
        Write("sciqag/qa.json", """{"0": {"Q": "Why?", "A": "Because."}, "1": {"Q": "How?", "A": "So."}}""");

        var corpus = SharedCorpus.Load(_dir);

        Assert.Equal(
            [new CorpusInstruction("What is x? ->", " Fe\n", " 1\n", "darwin/a/nested.json"), new CorpusInstruction("Design a donor ->", "", " CC\n", "darwin/a/no_input.json")],
            corpus.Instructions);
        Assert.Equal([new QuestionAnswer("Why?", "Because.", "sciqag/qa.json"), new QuestionAnswer("How?", "So.", "sciqag/qa.json")], corpus.QuestionAnswers);
        Assert.Equal([Path.Combine(_dir, "darwin/b/other.json")], corpus.Skipped.Select(s => s.Path));
        var texts = corpus.Texts().ToList();
        Assert.Equal(8, texts.Count);
        Assert.StartsWith("Below is an instruction", texts[0]);
        Assert.EndsWith("### Response:", texts[0]);
        Assert.Equal(" 1\n", texts[1]);
    }

    [Fact]
    public void InvalidJsonNamesTheFile()
    {
        Write("darwin/a/broken.json", "[{\"instruction\": ");
        var error = Assert.Throws<InvalidDataException>(() => SharedCorpus.Load(_dir));
        Assert.Contains("broken.json", error.Message);
    }

    [Fact]
    public void AFolderWithoutRecordsIsAnError()
    {
        Assert.Throws<InvalidDataException>(() => SharedCorpus.Load(_dir));
        Assert.Throws<DirectoryNotFoundException>(() => SharedCorpus.Load(Path.Combine(_dir, "missing")));
    }

    private void Write(string relative, string json)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
    }
}
