using DarwinGrid.Domain.Predictions;
using DarwinGrid.Domain.Prompts;
using DarwinGrid.Domain.Tasks;
using DarwinGrid.Inference.Engine;

namespace DarwinGrid.Inference.Prediction;

/// <summary>
/// Turns (task, candidate) into an engine request: the prompt format's instruction part is the
/// shared prefix, the candidate's own text the suffix, and the task's answer format picks the mode.
/// </summary>
public sealed class PredictionRequestBuilder(PredictionOptions options)
{
    private readonly IPromptFormat _format = PromptFormats.Get(options.PromptFormat);

    public EngineRequest Build(PropertyTask task, string input) => Build(task, input, options.Estimate);

    /// <summary>A regression answer asks for the whole distribution unless the estimate is greedy.</summary>
    public EngineRequest Build(PropertyTask task, string input, NumericEstimate estimate)
    {
        var instructionIndex = Math.Min(options.InstructionIndex, task.Instructions.Count - 1);
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
