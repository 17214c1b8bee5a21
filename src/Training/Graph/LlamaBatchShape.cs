namespace DarwinGrid.Training.Graph;

/// <summary><paramref name="Rows"/> rows of <paramref name="TokensPerRow"/> tokens each, evaluated in one graph.</summary>
public sealed record LlamaBatchShape(int TokensPerRow, int Rows)
{
    public int TokenCount => TokensPerRow * Rows;

    public LlamaBatchShape Validated()
    {
        if (TokensPerRow < 1 || Rows < 1)
            throw new ArgumentException($"A batch needs at least one row of one token (got {Rows} rows of {TokensPerRow}).");
        return this;
    }
}
