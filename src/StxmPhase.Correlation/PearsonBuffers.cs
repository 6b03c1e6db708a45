using System.Runtime.InteropServices;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>The output arrays of one correlation run; handed over to <see cref="CorrelationResult"/> at the end.</summary>
internal sealed class PearsonBuffers
{
    /// <summary>Allocates outputs for N pixels and P phases.</summary>
    /// <param name="pixelCount">N.</param>
    /// <param name="phaseCount">P.</param>
    /// <param name="zeroed">Whether to zero the arrays; without it they are uninitialised (the kernels write every element).</param>
    public PearsonBuffers(int pixelCount, int phaseCount, bool zeroed = false)
    {
        PixelCount = pixelCount;
        PhaseCount = phaseCount;
        Correlations = Allocate<float>(checked(pixelCount * phaseCount), zeroed);
        Labels = Allocate<int>(pixelCount, zeroed);
        SecondLabels = Allocate<int>(pixelCount, zeroed);
        Best = Allocate<float>(pixelCount, zeroed);
        Second = Allocate<float>(pixelCount, zeroed);
        Reliability = Allocate<float>(pixelCount, zeroed);
        Ambiguous = Allocate<bool>(pixelCount, zeroed);
        Status = Allocate<PixelStatus>(pixelCount, zeroed);
        if (!zeroed)
        {
            // Before the kernel's first write: 2 MiB pages (a 1024² result: 3,600 page faults instead of 10,700).
            HugePageAdvice.Advise(Correlations, Labels, SecondLabels, Best, Second, Reliability, Ambiguous, Status);
        }
    }

    private PearsonBuffers(PearsonBuffers source)
    {
        PixelCount = source.PixelCount;
        PhaseCount = source.PhaseCount;
        Correlations = Duplicate(source.Correlations);
        Labels = Duplicate(source.Labels);
        SecondLabels = Duplicate(source.SecondLabels);
        Best = Duplicate(source.Best);
        Second = Duplicate(source.Second);
        Reliability = Duplicate(source.Reliability);
        Ambiguous = Duplicate(source.Ambiguous);
        Status = Duplicate(source.Status);
    }

    public int PixelCount { get; }

    public int PhaseCount { get; }

    public float[] Correlations { get; }

    public int[] Labels { get; }

    public int[] SecondLabels { get; }

    public float[] Best { get; }

    public float[] Second { get; }

    public float[] Reliability { get; }

    public bool[] Ambiguous { get; }

    public PixelStatus[] Status { get; }

    /// <summary>Returns spans over the whole arrays (correlation stride N).</summary>
    /// <returns>The spans.</returns>
    public OutputSpans AsSpans() => new(
        Correlations, PixelCount, Labels, SecondLabels, Best, Second, Reliability,
        MemoryMarshal.AsBytes(Ambiguous.AsSpan()), MemoryMarshal.AsBytes(Status.AsSpan()));

    /// <summary>Returns a deep copy.</summary>
    /// <returns>New arrays with the same contents.</returns>
    public PearsonBuffers Copy() => new(this);

    private static T[] Allocate<T>(int length, bool zeroed) =>
        zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);

    private static T[] Duplicate<T>(T[] source)
    {
        T[] copy = GC.AllocateUninitializedArray<T>(source.Length);
        source.AsSpan().CopyTo(copy);
        return copy;
    }

    /// <summary>Counts masked, invalid and ambiguous pixels in [<paramref name="start"/>, <paramref name="end"/>).</summary>
    /// <param name="start">First pixel.</param>
    /// <param name="end">One past the last pixel.</param>
    /// <returns>The counts.</returns>
    public PixelCounts Count(int start, int end)
    {
        ReadOnlySpan<byte> codes = MemoryMarshal.AsBytes(Status.AsSpan(start, end - start));
        return new PixelCounts(
            codes.Count((byte)PixelStatus.Masked),
            codes.Count((byte)PixelStatus.Invalid),
            MemoryMarshal.AsBytes(Ambiguous.AsSpan(start, end - start)).Count((byte)1));
    }

    /// <summary>Wraps the arrays (without copying) into the immutable result, with the counts the kernel took.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="phaseNames">Phase names.</param>
    /// <param name="ambiguityThreshold">δ.</param>
    /// <param name="counts">The masked, invalid and ambiguous counts of these arrays.</param>
    /// <returns>The result.</returns>
    public CorrelationResult ToResult(int width, int height, IReadOnlyList<string> phaseNames, double ambiguityThreshold, PixelCounts counts) =>
        new(width, height, phaseNames, Correlations, Labels, SecondLabels, Best, Second, Reliability, Ambiguous, Status, ambiguityThreshold,
            counts.Masked, counts.Invalid, counts.Ambiguous);
}

/// <summary>The numbers of masked, invalid and ambiguous pixels of a correlation run.</summary>
/// <param name="Masked">Pixels excluded by the mask.</param>
/// <param name="Invalid">Pixels with NaN/±∞ or a constant spectrum.</param>
/// <param name="Ambiguous">Valid pixels with Q1 − Q2 &lt; δ.</param>
internal readonly record struct PixelCounts(int Masked, int Invalid, int Ambiguous)
{
    /// <summary>Returns the element-wise sum.</summary>
    /// <param name="a">First.</param>
    /// <param name="b">Second.</param>
    /// <returns>The sum.</returns>
    public static PixelCounts operator +(PixelCounts a, PixelCounts b) =>
        new(a.Masked + b.Masked, a.Invalid + b.Invalid, a.Ambiguous + b.Ambiguous);
}
