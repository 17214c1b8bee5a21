using DarwinGrid.Inference.Decoding;
using DarwinGrid.Inference.Prompts;

namespace DarwinGrid.Inference.Engine;

/// <summary>The outcome of one sequence: its decoder (text, probabilities) and what it cost.</summary>
internal sealed record SequenceOutcome(ResponseDecoder Decoder, int PromptTokens, int PromptTokensEvaluated);

/// <summary>
/// One sequence to run: a prepared prompt and the decoder that turns logits into an answer.
/// Completed by the driver thread; continuations run asynchronously so a caller never runs on it.
/// </summary>
internal sealed class SequenceJob(PreparedPrompt prompt, ResponseDecoder decoder, int answerBudget, CancellationToken cancellation)
{
    private readonly TaskCompletionSource<SequenceOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PreparedPrompt Prompt { get; } = prompt;

    public ResponseDecoder Decoder { get; } = decoder;

    /// <summary>Answer tokens the sequence may add to the KV cache.</summary>
    public int AnswerBudget { get; } = answerBudget;

    public CancellationToken Cancellation { get; } = cancellation;

    public Task<SequenceOutcome> Completion => _completion.Task;

    public bool IsAbandoned => Cancellation.IsCancellationRequested || _completion.Task.IsCompleted;

    public void Succeed(int promptTokensEvaluated) =>
        _completion.TrySetResult(new SequenceOutcome(Decoder, Prompt.Tokens.Length, promptTokensEvaluated));

    public void Fail(Exception error) => _completion.TrySetException(error);

    public void Cancel() => _completion.TrySetCanceled(Cancellation);
}
