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

    public EngineRequest Build(PropertyTask task, string input)
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
                return new EngineRequest(prefix, suffix + classes.CommonPrefix,
                    new ResponseMode.Labels([.. classes.Classes.Select(c => c.Option)]));
            case NumericAnswer { Label: null }:
                var sampling = options.UncertaintySamples > 0 ? new NumericSampling(options.UncertaintySamples, Seed: options.UncertaintySeed) : null;
                return new EngineRequest(prefix, suffix, new ResponseMode.Numeric(options.MaxNumericTokens, sampling));
            default:
                // A number that follows a label (SII_MDP's "JV default PCE: 14.9"): generate, then parse.
                return new EngineRequest(prefix, suffix, new ResponseMode.FreeText(options.MaxFreeTextTokens));
        }
    }
}
