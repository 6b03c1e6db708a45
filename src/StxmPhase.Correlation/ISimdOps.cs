
namespace StxmPhase.Correlation;

/// <summary>
/// The float32 vector operations the Pearson kernel needs, as static abstract members so that one generic kernel
/// (<see cref="PearsonKernel"/>) is specialised by the JIT for each width (the TensorPrimitives operator pattern).
/// Masks are float vectors whose lanes are all-ones (true) or all-zeros (false).
/// </summary>
/// <typeparam name="TVec">The vector type.</typeparam>
internal interface ISimdOps<TVec>
    where TVec : unmanaged
{
    static abstract int Count { get; }

    static abstract TVec Zero { get; }

    static abstract TVec Create(float value);

    static abstract TVec Load(ref float source, nuint offset);

    static abstract void Store(TVec value, ref float destination, nuint offset);

    /// <summary>
    /// Converts (truncating; the kernel passes small whole numbers, so the unsaturated hardware conversion is exact) to
    /// int32 and stores.
    /// </summary>
    static abstract void StoreInt32(TVec value, ref int destination, nuint offset);

    static abstract TVec Add(TVec a, TVec b);

    static abstract TVec Subtract(TVec a, TVec b);

    static abstract TVec Multiply(TVec a, TVec b);

    static abstract TVec Divide(TVec a, TVec b);

    /// <summary>Returns a·b + c with a single rounding.</summary>
    static abstract TVec FusedMultiplyAdd(TVec a, TVec b, TVec c);

    static abstract TVec Sqrt(TVec a);

    /// <summary>Returns the lane-wise minimum with the platform's NaN behaviour (one instruction; the kernel never relies on NaN ordering).</summary>
    static abstract TVec Min(TVec a, TVec b);

    /// <summary>Returns the lane-wise maximum with the platform's NaN behaviour.</summary>
    static abstract TVec Max(TVec a, TVec b);

    static abstract TVec CompareEqual(TVec a, TVec b);

    static abstract TVec CompareGreaterThan(TVec a, TVec b);

    static abstract TVec CompareLessThan(TVec a, TVec b);

    static abstract TVec CompareLessThanOrEqual(TVec a, TVec b);

    static abstract TVec And(TVec a, TVec b);

    static abstract TVec Or(TVec a, TVec b);

    /// <summary>Returns a &amp; ~b.</summary>
    static abstract TVec AndNot(TVec a, TVec b);

    /// <summary>
    /// Returns mask ? a : b per lane. Every mask lane is all ones or all zeros (a comparison result), so a blend on
    /// the sign bit (one instruction) and a bitwise select agree.
    /// </summary>
    static abstract TVec Select(TVec mask, TVec a, TVec b);

    /// <summary>Returns bit k = sign bit of lane k.</summary>
    static abstract ulong ExtractMask(TVec mask);

    /// <summary>Returns a mask whose lane k is true iff bit k of <paramref name="bits"/> is set.</summary>
    static abstract TVec MaskFromBits(ulong bits);
}
