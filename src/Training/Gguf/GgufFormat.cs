namespace DarwinGrid.Training.Gguf;

/// <summary>Constants of the GGUF container format.</summary>
public static class GgufFormat
{
    public const uint Magic = 0x46554747; // "GGUF" read as little-endian uint32
    public const uint Version = 3;
    public const uint DefaultAlignment = 32;
    public const string AlignmentKey = "general.alignment";

    /// <summary>Refuses absurd header values before allocating for them (a corrupt or hostile file).</summary>
    public const long MaxStringBytes = 1L << 30;
    public const long MaxArrayLength = 1L << 31;
    public const long MaxTensorCount = 1L << 20;
    public const long MaxMetadataCount = 1L << 20;

    public static long Align(long position, long alignment) => (position + alignment - 1) / alignment * alignment;
}
