using DarwinGrid.Domain.Compositions;
using DarwinGrid.Domain.Tasks;

namespace DarwinGrid.Inference.Prediction;

/// <summary>Rejects inputs a task cannot be asked about before they reach the model.</summary>
public static class CandidateInputValidator
{
    public const int MaxInputLength = 4096;

    /// <summary>Null when the input is acceptable, else the reason.</summary>
    public static string? Check(PropertyTask task, string input)
    {
        if (string.IsNullOrWhiteSpace(input)) return "The input is empty.";
        if (input.Length > MaxInputLength) return $"The input is {input.Length} characters long (at most {MaxInputLength}).";
        if (task.Input is InputField.Composition or InputField.Alloy
            && !CompositionParser.TryParse(input, out _, out var error))
            return $"'{Shorten(input)}' is not a valid composition: {error}";
        return null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
