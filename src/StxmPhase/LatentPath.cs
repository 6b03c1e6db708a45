using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>
/// Spectra decoded along a straight path through a latent space (the paper's Fig. S9): <see cref="Steps"/> points evenly
/// spaced from <see cref="From"/> to <see cref="To"/>, and the decoder's spectrum at each.
/// </summary>
/// <remarks>
/// The path is the straight segment z(t) = (1 − t)·z₀ + t·z₁, t = k / (Steps − 1), k = 0 … Steps − 1. A straight path is
/// the simplest path that any decoder can follow; between two phase centres of a GMVAE it crosses the region between the
/// two Gaussian components, which is where the pixels of mixed or intermediate spectra lie. It is not bent through the
/// data's density: where the data between two phases is sparse, the spectra there are the decoder's extrapolation.
/// </remarks>
public sealed class LatentPath
{
    private readonly float[] _points;
    private readonly float[] _spectra;
    private readonly double[] _positions;

    private LatentPath(int fromPhase, int toPhase, int dimension, int energyCount, float[] points, float[] spectra, double[] positions)
    {
        FromPhase = fromPhase;
        ToPhase = toPhase;
        LatentDimension = dimension;
        EnergyCount = energyCount;
        _points = points;
        _spectra = spectra;
        _positions = positions;
    }

    /// <summary>Gets the phase whose centre the path starts at, or −1 when it starts at an arbitrary point.</summary>
    public int FromPhase { get; }

    /// <summary>Gets the phase whose centre the path ends at, or −1 when it ends at an arbitrary point.</summary>
    public int ToPhase { get; }

    /// <summary>Gets the latent dimension D.</summary>
    public int LatentDimension { get; }

    /// <summary>Gets the number of energies E of each decoded spectrum.</summary>
    public int EnergyCount { get; }

    /// <summary>Gets the number of points along the path (≥ 2).</summary>
    public int Steps => _positions.Length;

    /// <summary>Gets the position t ∈ [0, 1] of each point along the path.</summary>
    public ReadOnlySpan<double> Positions => _positions;

    /// <summary>Gets the latent points, row-major (Steps × D).</summary>
    public ReadOnlySpan<float> Points => _points;

    /// <summary>Gets the decoded spectra, row-major (Steps × E), in the units the encoder takes.</summary>
    public ReadOnlySpan<float> Spectra => _spectra;

    /// <summary>Gets the start point (D floats).</summary>
    public ReadOnlySpan<float> From => _points.AsSpan(0, LatentDimension);

    /// <summary>Gets the end point (D floats).</summary>
    public ReadOnlySpan<float> To => _points.AsSpan((Steps - 1) * LatentDimension, LatentDimension);

    /// <summary>Returns the decoded spectrum at point <paramref name="step"/>.</summary>
    /// <param name="step">0 … Steps − 1.</param>
    /// <returns>E floats.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is outside 0 … Steps − 1.</exception>
    public ReadOnlySpan<float> Spectrum(int step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(step, Steps);
        return _spectra.AsSpan(step * EnergyCount, EnergyCount);
    }

    /// <summary>
    /// Decodes <paramref name="steps"/> evenly spaced points on the straight segment from <paramref name="from"/> to <paramref name="to"/>.
    /// </summary>
    /// <param name="decoder">The decoder (e.g. a GMVAE, or any encoder that implements <see cref="ILatentDecoder"/>).</param>
    /// <param name="from">The start point (D floats).</param>
    /// <param name="to">The end point (D floats).</param>
    /// <param name="steps">The number of points, ends included (≥ 2).</param>
    /// <param name="energyCount">The number of energies E the decoder produces.</param>
    /// <returns>The path.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="decoder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="steps"/> is below 2 or <paramref name="energyCount"/> below 1.</exception>
    /// <exception cref="ArgumentException">The points are empty, differ in length, or hold NaN or ±∞.</exception>
    public static LatentPath Decode(ILatentDecoder decoder, ReadOnlySpan<float> from, ReadOnlySpan<float> to, int steps, int energyCount) =>
        Decode(decoder, from, to, steps, energyCount, -1, -1);

    internal static LatentPath Decode(
        ILatentDecoder decoder, ReadOnlySpan<float> from, ReadOnlySpan<float> to, int steps, int energyCount, int fromPhase, int toPhase)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(energyCount, 1);
        if (from.IsEmpty || from.Length != to.Length)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The path's ends must have the same, non-zero dimension (from: {from.Length}, to: {to.Length})."),
                nameof(to));
        }

        CheckFinite(from, nameof(from));
        CheckFinite(to, nameof(to));
        int d = from.Length;
        float[] points = new float[steps * d];
        double[] positions = new double[steps];
        for (int k = 0; k < steps; k++)
        {
            double t = (double)k / (steps - 1);
            positions[k] = t;
            for (int j = 0; j < d; j++)
            {
                points[(k * d) + j] = (float)(((1 - t) * from[j]) + (t * to[j]));
            }
        }

        float[] spectra = new float[steps * energyCount];
        decoder.Decode(points, steps, spectra);
        return new LatentPath(fromPhase, toPhase, d, energyCount, points, spectra, positions);
    }

    private static void CheckFinite(ReadOnlySpan<float> point, string paramName)
    {
        for (int j = 0; j < point.Length; j++)
        {
            if (!float.IsFinite(point[j]))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Coordinate {j} of the path's end '{paramName}' is not finite ({point[j]})."),
                    paramName);
            }
        }
    }
}
