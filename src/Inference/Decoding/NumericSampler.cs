using System.Globalization;
using DarwinGrid.Domain.Predictions;

namespace DarwinGrid.Inference.Decoding;

/// <summary>
/// The model's distribution over the whole numeric answer as the empirical distribution of whole
/// numbers drawn from it: <see cref="NumericSamplingOptions.Samples"/> constrained samples (the
/// softmax over the tokens the numeric grammar allows, at the given temperature) plus, optionally,
/// the greedy answer, each weighing one. Samples that share a prefix share one beam (one KV
/// sequence) until they part, so " 0\n" drawn ten times costs one path, and a long number
/// (" 1266.6") is as likely to be drawn as the model says: unlike a beam search, nothing favours
/// short numbers or drops the mass it did not follow. A sample the token cap cuts short is lost
/// (counted, never a value). The draws come from one seeded generator, made in beam order in
/// <see cref="Advance"/>, so a prompt's answer never depends on what it was batched with.
/// At most <see cref="NumericSamplingOptions.Width"/> beams live at once; a prefix drawn beyond
/// that waits and starts again from the prompt with its whole path once a beam ends (a few tokens
/// evaluated twice instead of a sequence held idle for every candidate).
/// </summary>
public sealed class NumericSampler : NumberDistributionDecoder
{
    private sealed record Beam(string Text, NumberScanner Scanner, int Samples, bool Greedy, int[] Path)
    {
        public int Tokens => Path.Length;
    }

    private readonly TokenPieces _pieces;
    private readonly int _maxTokens;
    private readonly NumericSamplingOptions _options;
    private readonly Random _random;
    private readonly List<int> _allowed = new(64);
    private readonly SortedDictionary<int, int> _draws = [];
    private readonly List<(string Text, double Value, int Weight)> _finished = [];
    private readonly Queue<Beam> _waiting = new();
    private List<Beam> _beams;
    private List<(int Token, double Weight)>?[] _observed;
    private int[] _greedyTokens;
    private string? _greedyText;
    private string? _truncatedExample;
    private bool _done;

    /// <param name="seed">The generator's seed: the caller mixes the options' seed with the prompt (see <see cref="SeedFor"/>).</param>
    public NumericSampler(TokenPieces pieces, int maxTokens, NumericSamplingOptions options, int seed)
    {
        _pieces = pieces;
        _maxTokens = maxTokens;
        _options = options.Validated();
        _random = new Random(seed);
        _beams = [new Beam("", default, _options.Samples, _options.IncludeGreedy, [])];
        _observed = new List<(int, double)>?[1];
        _greedyTokens = new int[1];
    }

    public override int MaxBeams => _options.Width;

    /// <summary>Answers (samples and the greedy one) the cap cut short.</summary>
    public int TruncatedAnswers { get; private set; }

    /// <summary>Answers that ended in no finite number (the model had nothing allowed to say, or e.g. "1e999").</summary>
    public int LostAnswers { get; private set; }

    /// <summary>The greedy answer when it finished, else the most drawn number.</summary>
    public override string Text => _greedyText ?? (_finished.Count == 0 ? "" : _finished.MaxBy(f => f.Weight).Text);

    public override string? Error => !_done || _finished.Count > 0 ? null
        : TruncatedAnswers > 0 ? NumericGrammar.CapReached(_maxTokens, _truncatedExample ?? "")
        : "The model ended no number.";

    /// <summary>The drawn numbers, each weighing one; CoveredMass is the share of answers that ended in a number.</summary>
    public override NumericDistribution? Distribution => _finished.Count == 0 ? null
        : NumericDistribution.FromWeighted(_finished.Select(f => (f.Value, (double)f.Weight)), _finished.Sum(f => f.Weight) / (double)_options.Answers);

    /// <summary>A prompt's seed: the options' seed mixed with its tokens (FNV-1a), stable across processes.</summary>
    public static int SeedFor(int seed, ReadOnlySpan<int> promptTokens)
    {
        var hash = 2166136261u ^ (uint)seed;
        foreach (var token in promptTokens) hash = (hash ^ (uint)token) * 16777619u;
        return (int)hash;
    }

    public override void Observe(int beam, ReadOnlySpan<float> logits)
    {
        var b = _beams[beam];
        var candidates = new List<int>(_allowed.Count + 2);
        if (NumericGrammar.Allowed(_pieces, b.Scanner, _allowed))
        {
            candidates.AddRange(_pieces.NewlineTokens);
            candidates.AddRange(_pieces.EndOfGenerationTokens);
        }
        candidates.AddRange(_allowed);
        var max = double.NegativeInfinity;
        foreach (var t in candidates) max = Math.Max(max, logits[t]);
        if (double.IsNegativeInfinity(max)) return;
        var weighted = new List<(int Token, double Weight)>(candidates.Count);
        foreach (var t in candidates) weighted.Add((t, Math.Exp((logits[t] - max) / _options.Temperature)));
        _observed[beam] = weighted;
        _greedyTokens[beam] = TokenPicker.Greedy.Pick(logits, candidates.ToArray());
    }

    public override IReadOnlyList<NextBeam> Advance()
    {
        var next = new List<NextBeam>();
        var beams = new List<Beam>();
        for (var i = 0; i < _beams.Count; i++)
        {
            var b = _beams[i];
            if (_observed[i] is not { } weighted)
            {
                LostAnswers += b.Samples + (b.Greedy ? 1 : 0);
                continue;
            }
            Draw(weighted, b.Samples);
            var greedy = b.Greedy ? _greedyTokens[i] : -1;
            if (greedy >= 0) _draws.TryAdd(greedy, 0);
            foreach (var (token, samples) in _draws)
            {
                var isGreedy = token == greedy;
                var weight = samples + (isGreedy ? 1 : 0);
                if (NumericGrammar.IsTerminator(_pieces, token)) Finish(b.Text, weight, isGreedy);
                else if (b.Tokens >= _maxTokens)
                {
                    TruncatedAnswers += weight;
                    _truncatedExample ??= b.Text;
                }
                else
                {
                    var text = _pieces.AsciiText(token)!;
                    var scanner = b.Scanner;
                    scanner.TryAdvance(text);
                    var child = new Beam(b.Text + text, scanner, samples, isGreedy, [.. b.Path, token]);
                    if (beams.Count < _options.Width)
                    {
                        beams.Add(child);
                        next.Add(new NextBeam(i, token));
                        GeneratedTokens++;
                    }
                    else _waiting.Enqueue(child);
                }
            }
        }
        while (beams.Count < _options.Width && _waiting.TryDequeue(out var waiting))
        {
            beams.Add(waiting);
            next.Add(new NextBeam(-1, waiting.Path[^1], waiting.Path));
            GeneratedTokens += waiting.Path.Length;
        }
        _beams = beams;
        _observed = new List<(int, double)>?[beams.Count];
        _greedyTokens = new int[beams.Count];
        _done = beams.Count == 0;
        return next;
    }

    /// <summary>Unused: the driver runs a sampler through <see cref="Observe"/> and <see cref="Advance"/> (it may need several sequences).</summary>
    public override int Step(ReadOnlySpan<float> logits) =>
        throw new InvalidOperationException("A sampler is driven through Observe and Advance.");

    /// <summary>Fills the draw counts per token (in token order) with <paramref name="samples"/> draws from the weights.</summary>
    private void Draw(List<(int Token, double Weight)> weighted, int samples)
    {
        _draws.Clear();
        var total = 0.0;
        var fallback = -1;
        foreach (var (token, w) in weighted)
        {
            total += w;
            if (w > 0) fallback = token; // rounding may leave u just above zero at the end
        }
        for (var s = 0; s < samples; s++)
        {
            var u = _random.NextDouble() * total;
            var chosen = fallback;
            foreach (var (token, w) in weighted)
            {
                u -= w;
                if (u < 0)
                {
                    chosen = token;
                    break;
                }
            }
            _draws[chosen] = _draws.GetValueOrDefault(chosen) + 1;
        }
    }

    private void Finish(string text, int weight, bool greedy)
    {
        if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            _finished.Add((text, value, weight));
            if (greedy) _greedyText = text;
        }
        else LostAnswers += weight;
    }
}
