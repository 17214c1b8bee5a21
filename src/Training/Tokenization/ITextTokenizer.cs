namespace DarwinGrid.Training.Tokenization;

/// <summary>What the training data pipeline needs from a tokenizer: text to ids as the engine makes them.</summary>
public interface ITextTokenizer
{
    /// <summary>The vocabulary's BOS id (added by <see cref="Encode"/> only when the vocabulary says so).</summary>
    int BosId { get; }

    int EosId { get; }

    /// <summary>A whole text as the engine tokenizes a prompt (llama.cpp: <c>llama_tokenize(text, add_special: addBos, parse_special: false)</c>).</summary>
    int[] Encode(string text, bool addBos = true);

    /// <summary>
    /// Text that directly follows other text (an answer after its prompt), as the model generates it:
    /// no BOS and no SentencePiece dummy prefix, so <c>" 1.51"</c> starts with <c>▁1</c> (not <c>▁▁1</c>).
    /// </summary>
    int[] EncodeContinuation(string text);
}
