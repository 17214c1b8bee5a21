using System.Text;

namespace DarwinGrid.Inference.Decoding;

/// <summary>Unconstrained greedy generation up to a newline, an end-of-generation token or the cap.</summary>
public sealed class FreeTextDecoder(TokenPieces pieces, int maxTokens) : ResponseDecoder
{
    private readonly List<byte> _bytes = [];

    public override string Text => Encoding.UTF8.GetString(_bytes.ToArray());

    public override int Step(ReadOnlySpan<float> logits)
    {
        var chosen = TokenPicker.Greedy.PickAny(logits);
        if (pieces.IsEndOfGeneration(chosen)) return Done;
        var bytes = pieces.Bytes(chosen);
        var newline = bytes.IndexOf((byte)'\n');
        _bytes.AddRange(newline < 0 ? bytes : bytes[..newline]);
        GeneratedTokens++;
        return newline >= 0 || GeneratedTokens >= maxTokens ? Done : chosen;
    }
}
