namespace DarwinGrid.Training.Models;

/// <summary>How a new model's element-symbol token rows of <c>token_embd</c> start out.</summary>
public enum ElementEmbeddingInit
{
    /// <summary>Like every other row: N(0, std).</summary>
    Random,

    /// <summary>A fixed projection of the element's standardised Magpie properties (<see cref="MagpieElementEmbeddings"/>).</summary>
    Magpie,
}
