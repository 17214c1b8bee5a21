namespace DarwinGrid.Domain.Datasets;

/// <summary>A literature question-answer pair (SciQAG), the data of DARWIN's first fine-tuning stage.</summary>
/// <param name="Index">0-based position in the file.</param>
public sealed record QaRecord(int Index, string Question, string Answer);
