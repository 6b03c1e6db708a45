using TorchSharp;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

/// <summary>
/// Tensor arithmetic whose scalar operands stay alive until libtorch has read them.
/// </summary>
/// <remarks>
/// TorchSharp turns a <see cref="double"/> operand (<c>t * 0.5</c>, <c>t + 1e-4</c>, <c>clamp(-12, 8)</c>), and the
/// default <c>alpha = 1</c> of <c>a + b</c>, into a temporary <see cref="Scalar"/> that nothing references once its
/// native handle has been passed on. If a garbage collection runs during that native call (any thread may trigger one),
/// the finalizer can free the scalar while libtorch is still reading it: measured on 2026-12-02 with TorchSharp 0.107 /
/// libtorch 2.10, about 1 call in 10⁵ under collection pressure failed with "Unknown scalar type" or "Expected false to
/// be true", and a freed scalar that happens to read as valid would silently compute with a wrong constant. Every
/// scalar here is either held by a <c>using</c> until the call returns or is a static one that is never finalised,
/// and the GMVAE code uses these helpers (and <see cref="GmvaeAdam"/>) instead of the operators with a scalar.
/// </remarks>
internal static class SafeTensorMath
{
    /// <summary>The scalar 1 (the α of an addition), alive for the whole process.</summary>
    public static Scalar One { get; } = 1.ToScalar();

    /// <summary>Returns a + b.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>Returns a + value.</summary>
    public static Tensor Plus(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.add(s, One);
    }

    /// <summary>Returns a − value (as a + (−value), which is exact).</summary>
    public static Tensor Minus(this Tensor a, double value) => a.Plus(-value);

    /// <summary>Returns a · value.</summary>
    public static Tensor Times(this Tensor a, double value)
    {
        using var s = value.ToScalar();
        return a.mul(s);
    }

    /// <summary>Returns a clamped to [min, max].</summary>
    public static Tensor ClampTo(this Tensor a, double min, double max)
    {
        using var lo = min.ToScalar();
        using var hi = max.ToScalar();
        return a.clamp(lo, hi);
    }

    /// <summary>a += alpha · b in place; returns a.</summary>
    public static Tensor AddScaledInPlace(this Tensor a, Tensor b, double alpha)
    {
        using var s = alpha.ToScalar();
        return a.add_(b, s);
    }

    /// <summary>A rows × columns float32 tensor filled with value.</summary>
    public static Tensor Filled(int rows, int columns, double value)
    {
        using var s = value.ToScalar();
        return full(rows, columns, s);
    }
}
