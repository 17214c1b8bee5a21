namespace DarwinGrid.Domain.Datasets;

/// <summary>One record of DARWIN's instruction JSON, strings kept byte for byte (leading spaces, "\n").</summary>
/// <param name="Index">0-based position in its file.</param>
public sealed record InstructionRecord(int Index, string Instruction, string Input, string Output);
