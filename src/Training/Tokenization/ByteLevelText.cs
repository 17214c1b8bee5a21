namespace DarwinGrid.Training.Tokenization;

/// <summary>
/// GPT-2's byte-to-unicode table: byte-level BPE vocabularies (GPT-2, LLaMA 3) store every token's
/// bytes as printable characters, and llama.cpp reads <c>tokenizer.ggml.tokens</c> in that form.
/// </summary>
public static class ByteLevelText
{
    private static readonly char[] ByteToChar = BuildTable();

    private static char[] BuildTable()
    {
        var table = new char[256];
        var printable = new bool[256];
        for (var b = '!'; b <= '~'; b++) printable[b] = true;
        for (var b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (var b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        var next = 256;
        for (var b = 0; b < 256; b++) table[b] = printable[b] ? (char)b : (char)next++;
        return table;
    }

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++) chars[i] = ByteToChar[bytes[i]];
        return new string(chars);
    }
}
