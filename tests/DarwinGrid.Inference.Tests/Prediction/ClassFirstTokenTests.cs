using DarwinGrid.Domain.Datasets;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;
using DarwinGrid.Inference.Prediction;
using DarwinGrid.Inference.Tests.Support;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Tokenization;
using LLama;
using LLama.Common;

namespace DarwinGrid.Inference.Tests.Prediction;

/// <summary>
/// Classification reads the probability of each class's first answer token, so that token must be
/// the one training teaches: the trainer encodes the whole answer (" Yes, X is metal.\n") as
/// continuation tokens, and with the built-in vocabulary " Yes," is one piece while " Yes" alone is
/// another. Checked for every classification task of the catalog with llama.cpp's tokenizer.
/// </summary>
public sealed class ClassFirstTokenTests : IDisposable
{
    private readonly BuiltInModelFile _model = new();

    public void Dispose() => _model.Dispose();

    [Fact]
    public void TheTokenScoredForEachClassIsTheFirstTokenTrainingTeaches()
    {
        var tokenizer = new DarwinTokenizer(BuiltInVocabulary.Create(SharedData.Root));
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(_model.Path) { VocabOnly = true, GpuLayerCount = 0 });
        int[] Encode(string text) => weights.Tokenize(text, true, false, System.Text.Encoding.UTF8).Select(t => (int)t).ToArray();
        var builder = new PredictionRequestBuilder(new PredictionOptions());
        var mismatches = new List<string>();
        var checkedClasses = 0;
        foreach (var task in TaskCatalog.All.Where(t => t.Answer is ClassAnswer && t.Input != InputField.DonorAcceptorInInstruction))
        {
            var classes = (ClassAnswer)task.Answer;
            var input = TaskDatasetLoader.Load(task, SharedData.Root).Records[0].Input.Trim();
            var request = builder.Build(task, input);
            var choices = Assert.IsType<ResponseMode.Labels>(request.Mode).Choices;
            var promptTokens = Encode(request.Prompt);
            var commonPrefixTokens = tokenizer.EncodeContinuation(classes.CommonPrefix);
            for (var i = 0; i < classes.Classes.Count; i++)
            {
                var taughtAnswer = tokenizer.EncodeContinuation(classes.Format(input, new TargetValue.Class(i, classes.Classes[i].Name), "with high confidence"));
                Assert.Equal(commonPrefixTokens, taughtAnswer[..commonPrefixTokens.Length]);
                var taught = taughtAnswer[commonPrefixTokens.Length];
                var scored = Encode(request.Prompt + choices[i])[promptTokens.Length];
                checkedClasses++;
                if (taught != scored)
                    mismatches.Add($"{task.Name}/{classes.Classes[i].Name}: trained '{tokenizer.Vocabulary.Pieces[taught].Piece}', scored '{tokenizer.Vocabulary.Pieces[scored].Piece}'");
            }
        }
        Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));
        Assert.Equal(TaskCatalog.All.Where(t => t.Answer is ClassAnswer && t.Input != InputField.DonorAcceptorInInstruction).Sum(t => t.Classes.Count), checkedClasses);
    }
}
