namespace DarwinGrid.Training.Kernels;

/// <summary>Vector width of the C# product kernel, in bits.</summary>
public enum KernelWidth
{
    None = 0,
    Vector128 = 128,
    Vector256 = 256,
    Vector512 = 512,
}
