namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// Byte-level BPE vocabularies for models to test with, rebuilt from tiktoken ranks: GPT-2's own
/// (50,257 tokens, <c>gpt-2</c> pre-tokenizer, no BOS) and a LLaMA-3 imitation (cl100k's 100,256
/// mergeable tokens, the <c>llama-bpe</c> pre-tokenizer, then 256 control tokens as LLaMA 3 has them).
/// </summary>
public static class ByteLevelVocabularies
{
    public const string Gpt2EndOfText = "<|endoftext|>";
    public const string BeginOfText = "<|begin_of_text|>";
    public const string EndOfText = "<|end_of_text|>";
    public const string EndOfTurn = "<|eot_id|>";

    /// <summary>LLaMA 3 has 256 special tokens after its mergeable ones.</summary>
    public const int Llama3ControlTokens = 256;

    public static Vocabulary Gpt2()
    {
        var ranks = TiktokenRanks.Gpt2();
        var pieces = Normal(ranks).Append(new VocabularyPiece(Gpt2EndOfText, 0, TokenType.Control)).ToArray();
        var endOfText = pieces.Length - 1;
        return new Vocabulary(pieces, BosId: endOfText, EosId: endOfText, UnknownId: -1, AddSpacePrefix: false)
        {
            Model = TokenizerModels.Gpt2, PreTokenizer = "gpt-2", Merges = BpeMerges.Recover(ranks), AddBos = false,
        };
    }

    public static Vocabulary Llama3()
    {
        var ranks = TiktokenRanks.Cl100kBase();
        var first = ranks.Count;
        var pieces = Normal(ranks).Concat(Llama3Controls().Select(name => new VocabularyPiece(name, 0, TokenType.Control))).ToArray();
        return new Vocabulary(pieces, BosId: first, EosId: first + 1, UnknownId: -1, AddSpacePrefix: false)
        {
            Model = TokenizerModels.Gpt2, PreTokenizer = "llama-bpe", Merges = BpeMerges.Recover(ranks), AddBos = true,
        };
    }

    /// <summary>LLaMA 3's layout: begin/end of text, reserved 0-3, header ids, reserved 4, end of turn, then reserved 5...</summary>
    private static IEnumerable<string> Llama3Controls()
    {
        string[] named = [BeginOfText, EndOfText, "<|reserved_special_token_0|>", "<|reserved_special_token_1|>", "<|reserved_special_token_2|>",
            "<|reserved_special_token_3|>", "<|start_header_id|>", "<|end_header_id|>", "<|reserved_special_token_4|>", EndOfTurn];
        return named.Concat(Enumerable.Range(5, Llama3ControlTokens - named.Length).Select(i => $"<|reserved_special_token_{i}|>"));
    }

    private static IEnumerable<VocabularyPiece> Normal(IReadOnlyList<byte[]> ranks) =>
        ranks.Select(bytes => new VocabularyPiece(ByteLevelText.Encode(bytes), 0, TokenType.Normal));
}
