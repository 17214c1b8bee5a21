namespace DarwinGrid.Inference.Prediction;

/// <summary>One way of asking about a candidate: which of the task's instructions, and how its input is spelled.</summary>
public sealed record CandidateView(int InstructionIndex, string Input);
