using System.Threading.Channels;
using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Models;
using DarwinGrid.Inference.Prompts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace DarwinGrid.Inference.Engine;

/// <summary>
/// Serves many concurrent prompt requests on one model with continuous batching and shared-prefix
/// reuse. Callers tokenize on their own thread and queue sequences into a bounded channel (they wait
/// when it is full); one driver thread owns the llama.cpp context (see <see cref="BatchDriver"/>).
/// </summary>
public sealed class InferenceEngine : IAsyncDisposable
{
    private readonly LoadedModel _model;
    private readonly Channel<SequenceJob> _queue;
    private readonly EngineCounters _counters = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _driver;
    private int _disposed;

    private InferenceEngine(LoadedModel model, EngineOptions options, ILogger logger, DecodeTrace? trace)
    {
        _model = model;
        Options = options;
        Tokenizer = new PromptTokenizer(model.Weights);
        Pieces = new TokenPieces(model.Weights);
        Calibration = model.Weights.Metadata.TryGetValue(Inference.Calibration.ModelCalibration.MetadataKey, out var json)
            ? Inference.Calibration.ModelCalibration.FromJson(json)
            : null;
        var totalSequences = options.SeqMax + options.PrefixCacheSize;
        var contextCells = (int)model.Native.ContextSize;
        Layout = new EngineLayout(options.PrefixCacheSize, options.SeqMax, options.UnifiedKvCache,
            options.UnifiedKvCache ? contextCells : contextCells / totalSequences);
        _queue = Channel.CreateBounded<SequenceJob>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        var driver = new BatchDriver(model, Layout, _queue.Reader, _counters, logger, _stop.Token, trace);
        _driver = Task.Factory.StartNew(driver.Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public EngineOptions Options { get; }

    public EngineLayout Layout { get; }

    public PromptTokenizer Tokenizer { get; }

    public TokenPieces Pieces { get; }

    /// <summary>The calibration stored in the model file's metadata, or null (raw intervals and probabilities).</summary>
    public Calibration.ModelCalibration? Calibration { get; }

    public EngineStats Stats => _counters.Snapshot(_queue.Reader.Count);

    /// <summary>
    /// Loads the model (clear <see cref="ModelFileException"/>s for bad files) and starts the driver.
    /// A <paramref name="trace"/> records every native call the driver makes (benchmarks only).
    /// </summary>
    public static InferenceEngine Start(EngineOptions options, ILogger<InferenceEngine>? logger = null, DecodeTrace? trace = null)
    {
        options.Validated();
        if (options.SeqMax > options.BatchSize)
            throw new ArgumentException($"Invalid engine options: SeqMax {options.SeqMax} exceeds BatchSize {options.BatchSize}; every slot needs a token in each batch.");
        var model = LoadedModel.Load(options, options.SeqMax + options.PrefixCacheSize, logger);
        try
        {
            return new InferenceEngine(model, options, (ILogger?)logger ?? NullLogger.Instance, trace);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    public async ValueTask<EngineResult> EvaluateAsync(EngineRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var prompt = Tokenizer.Prepare(request.SharedPrefix, request.Suffix);
        var jobs = CreateJobs(request, prompt, cancellationToken);
        var registrations = jobs.Select(j => cancellationToken.Register(j.Cancel)).ToArray();
        try
        {
            foreach (var job in jobs)
            {
                if (!_queue.Writer.TryWrite(job))
                {
                    _counters.WriterDelayed();
                    await _queue.Writer.WriteAsync(job, cancellationToken).ConfigureAwait(false);
                }
                _counters.ObserveQueue(_queue.Reader.Count);
            }
            var outcomes = new SequenceOutcome[jobs.Length];
            for (var i = 0; i < jobs.Length; i++) outcomes[i] = await jobs[i].Completion.ConfigureAwait(false);
            _counters.RequestCompleted();
            return Compose(request, outcomes);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _counters.RequestCancelled();
            throw;
        }
        catch (ChannelClosedException e)
        {
            _counters.RequestFailed();
            throw new ObjectDisposedException("The inference engine was stopped.", e);
        }
        catch
        {
            _counters.RequestFailed();
            throw;
        }
        finally
        {
            foreach (var r in registrations) r.Dispose();
        }
    }

    private SequenceJob[] CreateJobs(EngineRequest request, PreparedPrompt prompt, CancellationToken cancellation)
    {
        var budget = request.Mode.AnswerTokenBudget;
        EnsureFits(prompt, budget);
        switch (request.Mode)
        {
            case ResponseMode.Numeric numeric:
                RequirePositive(numeric.MaxTokens, "Numeric MaxTokens");
                if (Pieces.NumericTokens.Count == 0)
                    throw new InvalidOperationException($"The vocabulary of '{_model.Path}' has no number tokens; Numeric mode cannot answer.");
                var samples = numeric.Sampling?.Samples ?? 0;
                if (samples < 0) throw new ArgumentException($"NumericSampling.Samples must not be negative (got {samples}).");
                var jobs = new SequenceJob[1 + samples];
                jobs[0] = new SequenceJob(prompt, new NumericDecoder(Pieces, numeric.MaxTokens, TokenPicker.Greedy), budget, cancellation);
                for (var i = 1; i <= samples; i++)
                {
                    var picker = TokenPicker.Seeded(numeric.Sampling!.Seed + i - 1, numeric.Sampling.Temperature);
                    jobs[i] = new SequenceJob(prompt, new NumericDecoder(Pieces, numeric.MaxTokens, picker), budget, cancellation);
                }
                return jobs;
            case ResponseMode.NumberDistribution distribution:
                RequirePositive(distribution.MaxTokens, "NumberDistribution MaxTokens");
                if (Pieces.NumericTokens.Count == 0)
                    throw new InvalidOperationException($"The vocabulary of '{_model.Path}' has no number tokens; NumberDistribution mode cannot answer.");
                var decoder = DistributionDecoder(distribution, prompt);
                var width = Layout.UnifiedKvCache ? decoder.MaxBeams * distribution.MaxTokens : distribution.MaxTokens;
                EnsureFits(prompt, width);
                return [new SequenceJob(prompt, decoder, width, cancellation)];
            case ResponseMode.Labels labels:
                var labelTokens = Tokenizer.LabelTokens(request.Prompt, prompt.Tokens, labels.Choices);
                var scored = labelTokens.Shared.Length == 0 ? prompt : prompt with { Tokens = [.. prompt.Tokens, .. labelTokens.Shared] };
                EnsureFits(scored, 0);
                return [new SequenceJob(scored, new LabelScorer(labels.Choices, labelTokens.Distinguishing), 0, cancellation)];
            case ResponseMode.FreeText free:
                RequirePositive(free.MaxTokens, "FreeText MaxTokens");
                return [new SequenceJob(prompt, new FreeTextDecoder(Pieces, free.MaxTokens), budget, cancellation)];
            default:
                throw new ArgumentException($"Unknown response mode {request.Mode.GetType().Name}.");
        }
    }

    /// <summary>The sampler (default) or the beam search; either holds its widest step's sequences from the start, so never more than there are.</summary>
    private NumberDistributionDecoder DistributionDecoder(ResponseMode.NumberDistribution distribution, PreparedPrompt prompt)
    {
        if (distribution.Search is { } search)
            return new NumericSearch(Pieces, distribution.MaxTokens, search with { Beams = Math.Min(search.Validated().Beams, Layout.CandidateSequences) });
        var sampling = (distribution.Sampling ?? NumericSamplingOptions.Default).Validated();
        // Prefixes beyond the sampler's width wait for a sequence: an engine with fewer slots is slower, not different.
        sampling = sampling with { Beams = Math.Min(sampling.Beams, Layout.CandidateSequences) };
        return new NumericSampler(Pieces, distribution.MaxTokens, sampling, NumericSampler.SeedFor(sampling.Seed, prompt.Tokens));
    }

    private void EnsureFits(PreparedPrompt prompt, int answerBudget)
    {
        // Unified KV: the prefix cells are shared, the rest is the candidate's own; split KV: the
        // sequence holds a full copy of everything.
        var cells = Layout.UnifiedKvCache
            ? (prompt.SharedLength > 0 ? prompt.PrefixTokens.Length : 0) + prompt.EvaluatedLength + answerBudget
            : Math.Max(prompt.Tokens.Length, prompt.PrefixTokens.Length) + answerBudget;
        if (cells > Layout.CellBudget)
            throw new ArgumentException(
                $"The prompt ({prompt.Tokens.Length} tokens, shared prefix {prompt.PrefixTokens.Length}) plus {answerBudget} answer tokens needs {cells} KV cells " +
                $"but the engine has {Layout.CellBudget} {(Layout.UnifiedKvCache ? "in its unified KV cache" : "per sequence")}; raise ContextSize.");
    }

    private static void RequirePositive(int value, string name)
    {
        if (value < 1) throw new ArgumentException($"{name} must be at least 1 (got {value}).");
    }

    private static EngineResult Compose(EngineRequest request, SequenceOutcome[] outcomes)
    {
        var cost = new RequestCost(
            outcomes.Sum(o => o.PromptTokens),
            outcomes.Sum(o => o.PromptTokensEvaluated),
            outcomes.Sum(o => o.Decoder.GeneratedTokens));
        var main = outcomes[0].Decoder;
        return request.Mode switch
        {
            ResponseMode.Labels labels => new EngineResult(main.Text,
                labels.Choices.Select((l, i) => new LabelProbability(l, main.Probabilities![i])).ToArray(), null, cost),
            ResponseMode.NumberDistribution => new EngineResult(main.Text, null, null, cost, ((NumberDistributionDecoder)main).Distribution, main.Error),
            ResponseMode.Numeric { Sampling.Samples: > 0 } => new EngineResult(main.Text, null, Spread(outcomes.Skip(1)), cost, Error: main.Error),
            _ => new EngineResult(main.Text, null, null, cost, Error: main.Error),
        };
    }

    private static NumericSpread Spread(IEnumerable<SequenceOutcome> samples) => NumericSpread.Of([.. samples.Select(s => s.Decoder.Text)]);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        await _driver.ConfigureAwait(false);
        _stop.Dispose();
        _model.Dispose();
    }
}
