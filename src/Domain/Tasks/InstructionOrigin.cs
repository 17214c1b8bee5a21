namespace DarwinGrid.Domain.Tasks;

/// <summary>Where a task's instruction strings come from.</summary>
public enum InstructionOrigin
{
    /// <summary>Verbatim from DARWIN's instruction JSON in the data folder.</summary>
    DarwinJson,
    /// <summary>Generated from the templates in DARWIN's convert.ipynb for this dataset (its JSON is not in the data folder).</summary>
    DarwinConverter,
    /// <summary>Ours, in DARWIN's phrasing ("What is X of given Y? ->", "Given Y, write its X. ->"...).</summary>
    DarwinStyle,
}
