using System.Globalization;
using System.Runtime.InteropServices;
using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// A beam search for the model's distribution over the whole numeric answer. Each live beam is an
/// unfinished number prefix on its own KV sequence; the driver hands it every beam's logits
/// (<see cref="Observe"/>), then <see cref="Advance"/> picks the next beams, each a parent and the
/// token it appends (the driver copies the parent's KV cells for a second child of one parent).
/// <para>
/// Probabilities are those of constrained decoding: at each step the softmax is taken over the
/// tokens the numeric grammar allows there (the number tokens that keep a valid prefix, plus the
/// terminators newline/EOS once the number is complete), i.e. renormalised over the allowed
/// tokens. A number's probability is the product along its path times the probability of a
/// terminator after it; paths spelling the same value (" 1" vs " " "1") add up. A prefix still
/// unfinished at the token cap is truncated: its mass is lost, never turned into a value.
/// </para>
/// </summary>
public sealed class NumericSearch : NumberDistributionDecoder
{
    private sealed record Beam(string Text, NumberScanner Scanner, double Probability, int Tokens);

    private readonly TokenPieces _pieces;
    private readonly int _maxTokens;
    private readonly NumericSearchOptions _options;
    private readonly List<int> _allowed = new(64);
    private readonly List<(int Parent, int Token, double Probability)> _children = [];
    private readonly List<(string Text, double Value, double Probability)> _finished = [];
    private List<Beam> _beams = [new("", default, 1.0, 0)];
    private double _finishedMass;
    private string? _truncatedExample;
    private bool _done;

    public NumericSearch(TokenPieces pieces, int maxTokens, NumericSearchOptions options)
    {
        _pieces = pieces;
        _maxTokens = maxTokens;
        _options = options.Validated();
    }

    /// <summary>Most KV sequences the search uses at once.</summary>
    public override int MaxBeams => _options.Beams;

    public int LiveBeams => _beams.Count;

    /// <summary>Probability of prefixes the cap cut short.</summary>
    public double TruncatedMass { get; private set; }

    /// <summary>The finished numbers (text as generated, value, probability), most probable first.</summary>
    public IReadOnlyList<(string Text, double Value, double Probability)> Finished =>
        [.. _finished.OrderByDescending(f => f.Probability)];

    /// <summary>The most probable finished answer's text.</summary>
    public override string Text => _finished.Count == 0 ? _beams.FirstOrDefault()?.Text ?? "" : _finished.MaxBy(f => f.Probability).Text;

    public override string? Error => !_done || _finished.Count > 0 ? null
        : TruncatedMass > 0 ? NumericGrammar.CapReached(_maxTokens, _truncatedExample ?? "")
        : "The model ended no number.";

    /// <summary>The distribution over the finished values (null when none finished); CoveredMass is the mass they hold.</summary>
    public override NumericDistribution? Distribution => _finished.Count == 0 ? null
        : NumericDistribution.FromWeighted(_finished.Select(f => (f.Value, f.Probability)), Math.Clamp(_finishedMass, double.Epsilon, 1));

    /// <summary>Scores beam <paramref name="beam"/>'s continuations from the logits after its last token.</summary>
    public override void Observe(int beam, ReadOnlySpan<float> logits)
    {
        var b = _beams[beam];
        var terminators = NumericGrammar.Allowed(_pieces, b.Scanner, _allowed);
        var max = double.NegativeInfinity;
        foreach (var t in _allowed) max = Math.Max(max, logits[t]);
        if (terminators)
        {
            foreach (var t in _pieces.NewlineTokens) max = Math.Max(max, logits[t]);
            foreach (var t in _pieces.EndOfGenerationTokens) max = Math.Max(max, logits[t]);
        }
        if (double.IsNegativeInfinity(max)) return;
        var total = 0.0;
        foreach (var t in _allowed) total += Math.Exp(logits[t] - max);
        var end = 0.0;
        if (terminators)
        {
            foreach (var t in _pieces.NewlineTokens) end += Math.Exp(logits[t] - max);
            foreach (var t in _pieces.EndOfGenerationTokens) end += Math.Exp(logits[t] - max);
        }
        total += end;
        if (end > 0) Finish(b, b.Probability * end / total);
        foreach (var t in _allowed)
        {
            var p = b.Probability * Math.Exp(logits[t] - max) / total;
            if (b.Tokens >= _maxTokens)
            {
                TruncatedMass += p;
                _truncatedExample ??= b.Text;
            }
            else _children.Add((beam, t, p));
        }
    }

    /// <summary>
    /// The next beams (parent index, token to evaluate), most probable first; empty when the search
    /// is over (enough mass or paths finished, or nothing left worth following).
    /// </summary>
    public override IReadOnlyList<NextBeam> Advance()
    {
        var next = new List<NextBeam>();
        var beams = new List<Beam>();
        if (_finishedMass < _options.TargetMass && _finished.Count < _options.MaxPaths)
        {
            _children.Sort((a, b) => b.Probability.CompareTo(a.Probability));
            foreach (var (parent, token, p) in _children)
            {
                if (beams.Count == _options.Beams || p < _options.MinPathProbability || p == 0) break;
                var text = _pieces.AsciiText(token)!;
                var scanner = _beams[parent].Scanner;
                scanner.TryAdvance(text);
                beams.Add(new Beam(_beams[parent].Text + text, scanner, p, _beams[parent].Tokens + 1));
                next.Add(new NextBeam(parent, token));
                GeneratedTokens++;
            }
        }
        _children.Clear();
        _beams = beams;
        _done = beams.Count == 0;
        return next;
    }

    /// <summary>Unused: the driver runs a search through <see cref="Observe"/> and <see cref="Advance"/> (it may need several sequences).</summary>
    public override int Step(ReadOnlySpan<float> logits)
    {
        if (_options.Beams != 1) throw new InvalidOperationException("A search with several beams is driven through Observe and Advance.");
        Observe(0, logits);
        var next = Advance();
        return next.Count == 0 ? Done : next[0].Token;
    }

    private void Finish(Beam beam, double probability)
    {
        _finishedMass += probability;
        if (double.TryParse(beam.Text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
            _finished.Add((beam.Text, value, probability));
    }
}
