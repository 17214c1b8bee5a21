namespace DarwinGrid.Training.Kernels;

/// <summary>
/// The few vector operations the product kernel needs, as static members so that
/// <see cref="MatMulKernel{TVector, TOps}"/> is written once and the JIT compiles one specialised
/// copy per vector width (every call below is inlined; nothing is dispatched at run time).
/// </summary>
public unsafe interface IVectorOps<TVector> where TVector : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Columns of a tile: 2 x <see cref="TileColumns"/> accumulators plus two vectors of A and one
    /// broadcast must fit in the registers the width has (32 with AVX-512 or ARM, 16 with AVX2 or SSE).
    /// </summary>
    static abstract int TileColumns { get; }

    /// <summary>Whether this CPU runs the width natively (fused multiply-add included), within <see cref="KernelInstructionSets.Limit"/>.</summary>
    static abstract bool IsSupported { get; }

    static abstract TVector Load(float* source);

    static abstract void Store(TVector value, float* destination);

    static abstract TVector Broadcast(float value);

    /// <summary>a * b + c, rounded once.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);
}
