namespace StxmPhase.Spectra;

/// <summary>Result of <see cref="StackAligner"/>. Immutable.</summary>
public sealed class StackAlignmentResult
{
    private readonly ImageShift[] _shifts;

    internal StackAlignmentResult(SpectralStack aligned, ImageShift[] shifts, int cropX, int cropY)
    {
        Aligned = aligned;
        _shifts = shifts;
        CropX = cropX;
        CropY = cropY;
    }

    /// <summary>Gets the aligned stack (cropped to the common valid region unless cropping was turned off; same energies,
    /// quantity and metadata).</summary>
    public SpectralStack Aligned { get; }

    /// <summary>Gets the shift of each energy image relative to the reference image (the reference has (0, 0)); the
    /// aligner resampled image e at (x + X, y + Y).</summary>
    public IReadOnlyList<ImageShift> Shifts => _shifts;

    /// <summary>Gets the column of the input frame that became column 0 of <see cref="Aligned"/>.</summary>
    public int CropX { get; }

    /// <summary>Gets the row of the input frame that became row 0 of <see cref="Aligned"/>.</summary>
    public int CropY { get; }
}
