namespace StxmPhase.Unmixing;

/// <summary>A pair of non-negative factors <c>X ≈ W H</c> (W rows × k abundances, H k × columns component spectra).</summary>
public sealed class NmfFactors
{
    private readonly double[] _w;
    private readonly double[] _h;

    internal NmfFactors(int rows, int columns, int componentCount, double[] w, double[] h)
    {
        Rows = rows;
        Columns = columns;
        ComponentCount = componentCount;
        _w = w;
        _h = h;
    }

    /// <summary>Gets the number of rows of X (pixels).</summary>
    public int Rows { get; }

    /// <summary>Gets the number of columns of X (energies).</summary>
    public int Columns { get; }

    /// <summary>Gets k.</summary>
    public int ComponentCount { get; }

    /// <summary>Gets W, row-major <see cref="Rows"/> × k (abundance of each component in each row).</summary>
    public ReadOnlySpan<double> W => _w;

    /// <summary>Gets H, row-major k × <see cref="Columns"/> (one component spectrum per row).</summary>
    public ReadOnlySpan<double> H => _h;

    internal double[] WArray => _w;

    internal double[] HArray => _h;
}
