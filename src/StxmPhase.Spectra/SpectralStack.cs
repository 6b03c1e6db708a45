using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// A hyperspectral STXM stack stored as <b>energy-major planes</b>, as acquired: plane <c>e</c> is a contiguous
/// <see cref="Height"/> × <see cref="Width"/> float32 image (row-major, x fastest), and the planes follow each other in
/// the order of <see cref="Energies"/>.
/// </summary>
/// <remarks>
/// <para>
/// The stack either wraps caller memory (no copy; the caller must keep it alive and unchanged while the stack is used)
/// or owns a zero-initialised buffer. Kernels vectorise across pixels of a plane; model code that needs pixel-major
/// rows uses <see cref="CopySpectra(ReadOnlySpan{int}, Span{float})"/>, one explicit transpose.
/// </para>
/// <para>Pixel index = <c>y · Width + x</c>. Element index = <c>e · Width · Height + y · Width + x</c>.</para>
/// </remarks>
public sealed class SpectralStack
{
    private readonly Memory<float> _data;

    /// <summary>Initializes a stack that wraps <paramref name="data"/> without copying.</summary>
    /// <param name="energies">The energy of each plane.</param>
    /// <param name="width">Image width in pixels (x).</param>
    /// <param name="height">Image height in pixels (y).</param>
    /// <param name="data">Energy-major data of exactly <c>Energies.Count · width · height</c> floats.</param>
    /// <param name="quantity">What the values represent (default optical density).</param>
    /// <param name="metadata">Optional descriptive metadata.</param>
    /// <exception cref="ArgumentNullException"><paramref name="energies"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The length of <paramref name="data"/> does not equal energies × width × height.</exception>
    public SpectralStack(EnergyAxis energies, int width, int height, Memory<float> data,
        SpectralQuantity quantity = SpectralQuantity.OpticalDensity, StackMetadata? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(energies);
        ThrowHelper.ThrowIfNotPositive(width, nameof(width));
        ThrowHelper.ThrowIfNotPositive(height, nameof(height));
        long expected = (long)energies.Count * width * height;
        if (expected > Array.MaxLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"A stack of {energies.Count} energies × {width} × {height} pixels ({expected} values) exceeds the largest supported size " +
                    $"({Array.MaxLength} values)."),
                nameof(data));
        }

        if (data.Length != expected)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Stack data must hold energies × height × width = {energies.Count} × {height} × {width} = {expected} values; got " +
                    $"{data.Length}."),
                nameof(data));
        }

        Energies = energies;
        Width = width;
        Height = height;
        _data = data;
        Quantity = quantity;
        Metadata = metadata ?? StackMetadata.Empty;
    }

    /// <summary>Initializes a stack that owns a new zero-filled buffer.</summary>
    /// <param name="energies">The energy of each plane.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    /// <param name="quantity">What the values represent (default optical density).</param>
    /// <param name="metadata">Optional descriptive metadata.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="width"/> or <paramref name="height"/> is not positive.</exception>
    /// <exception cref="ArgumentException">The stack would exceed the largest supported array.</exception>
    public SpectralStack(EnergyAxis energies, int width, int height,
        SpectralQuantity quantity = SpectralQuantity.OpticalDensity, StackMetadata? metadata = null)
        : this(energies, width, height, AllocateChecked(energies, width, height), quantity, metadata)
    {
    }

    /// <summary>Gets the energy of each plane.</summary>
    public EnergyAxis Energies { get; }

    /// <summary>Gets the image width in pixels.</summary>
    public int Width { get; }

    /// <summary>Gets the image height in pixels.</summary>
    public int Height { get; }

    /// <summary>Gets the number of pixels per plane (<see cref="Width"/> × <see cref="Height"/>).</summary>
    public int PixelCount => Width * Height;

    /// <summary>Gets the number of energies (planes).</summary>
    public int EnergyCount => Energies.Count;

    /// <summary>Gets what the values represent.</summary>
    public SpectralQuantity Quantity { get; }

    /// <summary>Gets descriptive metadata (name, source file, pixel size…).</summary>
    public StackMetadata Metadata { get; }

    /// <summary>Gets the whole energy-major buffer.</summary>
    public Memory<float> Data => _data;

    /// <summary>Returns plane <paramref name="energyIndex"/>: a contiguous Height × Width image.</summary>
    /// <param name="energyIndex">Index into <see cref="Energies"/>.</param>
    /// <returns>The plane, writable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="energyIndex"/> is outside [0, EnergyCount).</exception>
    public Span<float> Plane(int energyIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(energyIndex);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(energyIndex, EnergyCount);
        return _data.Span.Slice(energyIndex * PixelCount, PixelCount);
    }

    /// <summary>Copies the spectrum of pixel (<paramref name="x"/>, <paramref name="y"/>) into <paramref name="destination"/>.</summary>
    /// <param name="x">Column.</param>
    /// <param name="y">Row.</param>
    /// <param name="destination">At least <see cref="EnergyCount"/> floats.</param>
    /// <exception cref="ArgumentOutOfRangeException">The pixel is outside the image.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopySpectrum(int x, int y, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(x);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(x, Width);
        ArgumentOutOfRangeException.ThrowIfNegative(y);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(y, Height);
        if (destination.Length < EnergyCount)
        {
            ThrowHelper.DestinationTooShort();
        }

        ReadOnlySpan<float> data = _data.Span;
        int p = y * Width + x;
        int n = PixelCount;
        for (int e = 0; e < EnergyCount; e++)
        {
            destination[e] = data[e * n + p];
        }
    }

    /// <summary>
    /// Copies the spectra of the given pixels into <paramref name="destination"/> as pixel-major rows of
    /// <see cref="EnergyCount"/> floats (row <c>i</c> is the spectrum of pixel <c>pixelIndices[i]</c>).
    /// </summary>
    /// <param name="pixelIndices">Pixel indices <c>y · Width + x</c>.</param>
    /// <param name="destination">At least <c>pixelIndices.Length · EnergyCount</c> floats.</param>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, PixelCount).</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public void CopySpectra(ReadOnlySpan<int> pixelIndices, Span<float> destination)
    {
        int energies = EnergyCount;
        if (destination.Length < (long)pixelIndices.Length * energies)
        {
            ThrowHelper.DestinationTooShort();
        }

        int n = PixelCount;
        for (int i = 0; i < pixelIndices.Length; i++)
        {
            if ((uint)pixelIndices[i] >= (uint)n)
            {
                throw new ArgumentOutOfRangeException(nameof(pixelIndices), pixelIndices[i],
                    string.Create(CultureInfo.InvariantCulture, $"Pixel index at position {i} ({pixelIndices[i]}) is outside [0, {n})."));
            }
        }

        ReadOnlySpan<float> data = _data.Span;
        for (int e = 0; e < energies; e++)
        {
            ReadOnlySpan<float> plane = data.Slice(e * n, n);
            for (int i = 0; i < pixelIndices.Length; i++)
            {
                destination[(i * energies) + e] = plane[pixelIndices[i]];
            }
        }
    }

    /// <summary>Returns a deep copy whose buffer is owned by the new stack.</summary>
    /// <returns>The copy.</returns>
    public SpectralStack Clone() => new(Energies, Width, Height, _data.ToArray(), Quantity, Metadata);

    /// <summary>Returns a short description such as "256×256 px, 13 energies, 510.00–545.00 eV (OpticalDensity)".</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Width}×{Height} px, {Energies} ({Quantity})");

    private static float[] AllocateChecked(EnergyAxis energies, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(energies);
        ThrowHelper.ThrowIfNotPositive(width, nameof(width));
        ThrowHelper.ThrowIfNotPositive(height, nameof(height));
        long n = (long)energies.Count * width * height;
        if (n > Array.MaxLength)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"A stack of {energies.Count} × {width} × {height} values exceeds the largest supported size."),
                nameof(width));
        }

        return new float[n];
    }
}
