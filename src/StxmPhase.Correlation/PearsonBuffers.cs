using System.Runtime.InteropServices;
using StxmPhase.Spectra;

namespace StxmPhase.Correlation;

/// <summary>The output arrays of one correlation run; handed over to <see cref="CorrelationResult"/> at the end.</summary>
internal sealed class PearsonBuffers
{
    /// <summary>Allocates (uninitialised: the kernels write every element) outputs for N pixels and P phases.</summary>
    /// <param name="pixelCount">N.</param>
    /// <param name="phaseCount">P.</param>
    public PearsonBuffers(int pixelCount, int phaseCount)
    {
        PixelCount = pixelCount;
        PhaseCount = phaseCount;
        Correlations = GC.AllocateUninitializedArray<float>(checked(pixelCount * phaseCount));
        Labels = GC.AllocateUninitializedArray<int>(pixelCount);
        SecondLabels = GC.AllocateUninitializedArray<int>(pixelCount);
        Best = GC.AllocateUninitializedArray<float>(pixelCount);
        Second = GC.AllocateUninitializedArray<float>(pixelCount);
        Reliability = GC.AllocateUninitializedArray<float>(pixelCount);
        Ambiguous = GC.AllocateUninitializedArray<bool>(pixelCount);
        Status = GC.AllocateUninitializedArray<PixelStatus>(pixelCount);
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

    /// <summary>Wraps the arrays (without copying) into the immutable result.</summary>
    /// <param name="width">Image width.</param>
    /// <param name="height">Image height.</param>
    /// <param name="phaseNames">Phase names.</param>
    /// <param name="ambiguityThreshold">δ.</param>
    /// <returns>The result.</returns>
    public CorrelationResult ToResult(int width, int height, IReadOnlyList<string> phaseNames, double ambiguityThreshold) =>
        new(width, height, phaseNames, Correlations, Labels, SecondLabels, Best, Second, Reliability, Ambiguous, Status, ambiguityThreshold);
}
