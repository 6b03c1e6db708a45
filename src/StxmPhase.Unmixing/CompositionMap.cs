namespace StxmPhase.Unmixing;

/// <summary>A per-pixel composition coordinate and its standard uncertainty (row-major, NaN where undefined). Immutable.</summary>
public sealed class CompositionMap
{
    private readonly float[] _values;
    private readonly float[] _sd;

    internal CompositionMap(int width, int height, float[] values, float[] sd)
    {
        Width = width;
        Height = height;
        _values = values;
        _sd = sd;
    }

    /// <summary>Gets the width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the coordinate of every pixel (NaN where undefined).</summary>
    public ReadOnlySpan<float> Values => _values;

    /// <summary>Gets the standard uncertainty of the coordinate of every pixel (NaN where undefined).</summary>
    public ReadOnlySpan<float> StandardDeviations => _sd;
}
