using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Randomness;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// Turns (task, candidate) into an engine request: the prompt format's instruction part is the
/// shared prefix, the candidate's own text the suffix, and the task's answer format picks the mode.
/// With <see cref="PredictionOptions.Views"/> above 1 a candidate is asked several ways
/// (<see cref="BuildViews"/>): the model was trained on paraphrased instructions and respelled
/// formulas, so each view is a question it knows, and their answers are pooled.
/// </summary>
public sealed class PredictionRequestBuilder(PredictionOptions options)
{
    private readonly IPromptFormat _format = PromptFormats.Get(options.PromptFormat);

    public EngineRequest Build(PropertyTask task, string input) => Build(task, input, options.Estimate);

    /// <summary>A regression answer asks for the whole distribution unless the estimate is greedy.</summary>
    public EngineRequest Build(PropertyTask task, string input, NumericEstimate estimate) => Build(task, View(task, input, 0), estimate);

    /// <summary>The candidate's <see cref="PredictionOptions.Views"/> requests; the first is <see cref="Build(PropertyTask, string, NumericEstimate)"/>'s.</summary>
    public IReadOnlyList<EngineRequest> BuildViews(PropertyTask task, string input, NumericEstimate estimate) =>
        [.. Enumerable.Range(0, options.Views).Select(v => Build(task, View(task, input, v), estimate))];

    /// <summary>
    /// View <paramref name="view"/> of a candidate: view 0 is the chosen instruction and the input as
    /// given; view v the instruction v places further (wrapping) and, for a composition, a respelling
    /// drawn from a random seeded by the input and v, so a candidate gets the same views every time.
    /// </summary>
    public static CandidateView View(PropertyTask task, string input, int view, int instructionIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(view);
        var first = Math.Min(instructionIndex, task.Instructions.Count - 1);
        if (view == 0) return new CandidateView(first, input);
        var spelling = FormulaRespelling.Applies(task) ? FormulaRespelling.Respell(input, SplitMix64Random.Stream(0, "view", input, view)) : input;
        return new CandidateView((first + view) % task.Instructions.Count, spelling);
    }

    private CandidateView View(PropertyTask task, string input, int view) => View(task, input, view, options.InstructionIndex);

    private EngineRequest Build(PropertyTask task, CandidateView view, NumericEstimate estimate)
    {
        var (instructionIndex, input) = view;
        var prompt = TaskPrompts.ForCandidate(_format, task, input, instructionIndex);
        var prefix = _format.Prefix(task.Instructions[instructionIndex]);
        // A format may not put the input after its prefix (e.g. an empty input): share nothing then.
        if (!prompt.StartsWith(prefix, StringComparison.Ordinal)) prefix = "";
        var suffix = prompt[prefix.Length..];

        switch (task.Answer)
        {
            case ClassAnswer classes:
                // Each class is scored by the first token of its whole answer (" Yes, X is metal.\n"),
                // the token training teaches: the option alone can tokenize differently (" Yes" vs
                // the built-in vocabulary's " Yes," piece).
                return new EngineRequest(prefix, suffix + classes.CommonPrefix,
                    new ResponseMode.Labels([.. classes.Classes.Select((c, i) => ClassAnswerAfterPrefix(classes, input, c, i))]));
            case NumericAnswer { Label: null } when estimate != NumericEstimate.Greedy:
                return new EngineRequest(prefix, suffix, new ResponseMode.NumberDistribution(options.MaxNumericTokens, options.Search, options.Sampling));
            case NumericAnswer { Label: null }:
                var sampling = options.UncertaintySamples > 0 ? new NumericSampling(options.UncertaintySamples, Seed: options.UncertaintySeed) : null;
                return new EngineRequest(prefix, suffix, new ResponseMode.Numeric(options.MaxNumericTokens, sampling));
            default:
                // A number that follows a label (SII_MDP's "JV default PCE: 14.9"): generate, then parse.
                return new EngineRequest(prefix, suffix, new ResponseMode.FreeText(options.MaxFreeTextTokens));
        }
    }

    private static string ClassAnswerAfterPrefix(ClassAnswer classes, string input, ClassLabel label, int index) =>
        // The qualifier (water stability's confidence) follows the option, so any text serves for the first token.
        classes.Format(input, new TargetValue.Class(index, label.Name), qualifier: "with high confidence")[classes.CommonPrefix.Length..];
}
