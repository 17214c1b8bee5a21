using System.Globalization;

namespace DarwinGrid.Evaluation.Harness;

/// <summary>Reads a fold selection: a range <c>0..4</c>, a list <c>0,2</c>, or one fold <c>3</c>.</summary>
public static class FoldSelection
{
    /// <exception cref="FormatException">The text is none of the forms, or names a fold outside 0 to 4.</exception>
    public static IReadOnlyList<int> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var range = trimmed.Split("..");
        IEnumerable<int> folds;
        if (range.Length == 2)
        {
            var (first, last) = (Fold(range[0], text), Fold(range[1], text));
            if (last < first)
                throw new FormatException($"Fold range '{text}' ends before it starts.");
            folds = Enumerable.Range(first, last - first + 1);
        }
        else
            folds = trimmed.Split(',').Select(part => Fold(part, text));
        return folds.Distinct().Order().ToArray();
    }

    private static int Fold(string part, string text)
    {
        if (!int.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var fold))
            throw new FormatException($"Folds '{text}': '{part.Trim()}' is not a fold number (use 0..4, 0,2 or 3).");
        if (fold >= CrossValidationSplits.FoldCount)
            throw new FormatException($"Folds '{text}': fold {fold} does not exist; folds are 0 to {CrossValidationSplits.FoldCount - 1}.");
        return fold;
    }
}
