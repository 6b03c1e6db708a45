namespace StxmPhase.Synthetic;

/// <summary>
/// The planted displacement, in pixels, of the sample in the image recorded at one energy, relative to the ground-truth
/// maps: the image at that energy shows the sample content of truth position (x − <paramref name="Dx"/>,
/// y − <paramref name="Dy"/>) at pixel (x, y).
/// </summary>
/// <param name="Dx">Displacement along x (columns) in pixels; positive moves the sample to larger x.</param>
/// <param name="Dy">Displacement along y (rows) in pixels; positive moves the sample to larger y.</param>
public readonly record struct PixelShift(double Dx, double Dy);
