using System.Text;
using DarwinGrid.Inference.Prompts;
using DarwinGrid.Inference.Tests.Support;
using DarwinGrid.TestSupport;
using DarwinGrid.Training.Data;
using DarwinGrid.Training.Tokenization;
using LLama;
using LLama.Common;

namespace DarwinGrid.Inference.Tests.Tokenization;

/// <summary>
/// The token ids training uses are the ids the engine uses: prompts exactly as the engine encodes
/// them (<see cref="PromptTokenizer.Tokenize"/>), answers as the engine reads a label after the prompt
/// (prompt + answer encoded whole, minus the prompt's tokens), EOS and BOS as the GGUF says. On real
/// DARWIN prompts (SMILES, SELFIES, formulas, literature QA) for SentencePiece, GPT-2 and LLaMA-3 vocabularies.
/// </summary>
public sealed class TrainingTokensMatchEngineTests(VocabularyModelFiles models) : IClassFixture<VocabularyModelFiles>
{
    private static readonly SharedCorpus Corpus = SharedCorpus.Load(SharedData.Root);

    /// <summary>Every 40th DARWIN instruction record (all tasks' JSON, SMILES and SELFIES included) and every 80th QA pair: a few hundred examples.</summary>
    private static IReadOnlyList<TrainingExample> Sample() =>
        Corpus.Instructions.Where((_, i) => i % 40 == 0).Select(r => new TrainingExample(r.Source, r.Prompt, r.Output))
            .Concat(Corpus.QuestionAnswers.Where((_, i) => i % 80 == 0).Select(qa => new TrainingExample("qa", qa.Question + "\n", " " + qa.Answer + "\n")))
            .ToArray();

    [Theory]
    [InlineData(VocabularyKind.Spm)]
    [InlineData(VocabularyKind.Gpt2)]
    [InlineData(VocabularyKind.Llama3)]
    public void TrainingTokenIdsEqualTheEnginesForPromptsAndAnswers(VocabularyKind kind)
    {
        var path = models.Path(kind);
        var vocabulary = models.Vocabulary(kind);
        using var weights = LLamaWeights.LoadFromFile(new ModelParams(path) { GpuLayerCount = 0 });
        var engine = new PromptTokenizer(weights);
        using var native = LlamaCppTokenizer.Load(path, vocabulary);
        var training = new ExampleTokenizer(native);
        var examples = Sample();
        Assert.Contains(examples, e => e.Prompt.Contains("SMILES", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(examples, e => e.Prompt.Contains("SELFIES", StringComparison.OrdinalIgnoreCase) || e.Prompt.Contains("[C]", StringComparison.Ordinal));

        var continuations = 0;
        foreach (var example in examples)
        {
            var tokens = training.Tokenize(example, out var splits);
            var enginePrompt = engine.Tokenize(example.Prompt);
            Assert.Equal(enginePrompt, tokens.PromptTokens);
            Assert.Equal(vocabulary.AddBos, tokens.PromptTokens[0] == vocabulary.BosId);
            Assert.Equal(vocabulary.EosId, tokens.ResponseTokens[^1]);
            var answer = tokens.ResponseTokens[..^1];
            var whole = engine.Tokenize(example.Prompt + example.Response);
            if (splits)
            {
                Assert.Equal(whole[enginePrompt.Length..], answer);
            }
            else
            {
                // A piece spans the boundary: the answer is what the model generates after the prompt's tokens.
                continuations++;
                Assert.NotEqual(enginePrompt, whole[..Math.Min(whole.Length, enginePrompt.Length)]);
                Assert.Equal(example.Response, Detokenize(weights, answer));
            }
        }
        Assert.True(continuations < examples.Count / 10, $"{continuations} of {examples.Count} answers merge with their prompt");
    }

    [Fact]
    public void ByteLevelVocabulariesTakeBosAndEosFromTheGguf()
    {
        using var gpt2 = LlamaCppTokenizer.Load(models.Path(VocabularyKind.Gpt2), models.Vocabulary(VocabularyKind.Gpt2));
        using var llama3 = LlamaCppTokenizer.Load(models.Path(VocabularyKind.Llama3), models.Vocabulary(VocabularyKind.Llama3));
        var llama3Vocabulary = models.Vocabulary(VocabularyKind.Llama3);

        Assert.Equal("<|endoftext|>", models.Vocabulary(VocabularyKind.Gpt2).Pieces[gpt2.EosId].Piece);
        Assert.NotEqual(gpt2.BosId, gpt2.Encode("Fe2O3")[0]); // GPT-2 adds no BOS
        Assert.Equal(ByteLevelVocabularies.BeginOfText, llama3Vocabulary.Pieces[llama3.Encode("Fe2O3")[0]].Piece);
        Assert.Equal(ByteLevelVocabularies.EndOfText, llama3Vocabulary.Pieces[llama3.EosId].Piece);
        // LLaMA 3 splits numbers into chunks of up to three digits.
        Assert.Equal(2, llama3.EncodeContinuation("123456").Length);
    }

    private static string Detokenize(LLamaWeights weights, int[] tokens)
    {
        var decoder = new StreamingTokenDecoder(Encoding.UTF8, weights);
        foreach (var token in tokens) decoder.Add(token);
        return decoder.Read();
    }
}
