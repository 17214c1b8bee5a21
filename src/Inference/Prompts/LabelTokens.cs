namespace DarwinGrid.Inference.Prompts;

/// <summary>
/// Tokens every label shares right after the prompt (fed with the prompt), and each label's first
/// token after them (the ones a single forward pass compares).
/// </summary>
public sealed record LabelTokens(int[] Shared, int[] Distinguishing);
