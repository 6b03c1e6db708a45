using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>Shared steps of every reader: size checks before allocation, energy validation and frame sorting.</summary>
internal static class StackAssembly
{
    /// <summary>Checks that energies × width × height values fit in one array; throws the domain exception otherwise.</summary>
    public static int CheckedCount(string? file, string field, long energies, long width, long height)
    {
        if (energies <= 0 || width <= 0 || height <= 0)
        {
            throw IoError.Invalid(file, field, null, IoError.Inv(
                $"declared dimensions must be positive; got {energies} energies × {height} rows × {width} columns."));
        }

        if (width > int.MaxValue || height > int.MaxValue || energies > int.MaxValue)
        {
            throw IoError.Invalid(file, field, null, IoError.Inv(
                $"declared dimensions {energies} × {height} × {width} are too large."));
        }

        long n = energies * width * height;
        if (n / energies / width != height || n > Array.MaxLength)
        {
            throw IoError.Invalid(file, field, null, IoError.Inv(
                $"declared dimensions {energies} × {height} × {width} exceed the largest supported stack ({Array.MaxLength} values)."));
        }

        return (int)n;
    }

    /// <summary>
    /// Builds a stack from energy-major planes. Frames are re-sorted into ascending energy order when the file lists
    /// them descending or unsorted; repeated or non-physical energies throw <see cref="InvalidStackContentException"/>.
    /// </summary>
    public static SpectralStack Build(string? file, string energyField, double[] energies, int width, int height, float[] data,
        SpectralQuantity quantity, StackMetadata metadata)
    {
        int plane = width * height;
        for (int i = 0; i < energies.Length; i++)
        {
            if (!double.IsFinite(energies[i]) || energies[i] <= 0)
            {
                throw IoError.Invalid(file, energyField, null, IoError.Inv(
                    $"energy at index {i} ({energies[i]} eV) is not a finite positive number."));
            }
        }

        int[] order = Enumerable.Range(0, energies.Length).ToArray();
        bool sorted = true;
        for (int i = 1; i < energies.Length; i++)
        {
            if (!(energies[i] > energies[i - 1]))
            {
                sorted = false;
                break;
            }
        }

        if (!sorted)
        {
            Array.Sort(energies.ToArray(), order);
            double[] sortedE = order.Select(i => energies[i]).ToArray();
            for (int i = 1; i < sortedE.Length; i++)
            {
                if (sortedE[i] == sortedE[i - 1])
                {
                    throw IoError.Invalid(file, energyField, null, IoError.Inv(
                        $"energy {sortedE[i]} eV appears more than once; a stack needs distinct energies."));
                }
            }

            float[] reordered = new float[data.Length];
            for (int i = 0; i < order.Length; i++)
            {
                Array.Copy(data, (long)order[i] * plane, reordered, (long)i * plane, plane);
            }

            data = reordered;
            energies = sortedE;
        }

        return new SpectralStack(new EnergyAxis(energies), width, height, data, quantity, metadata);
    }

    /// <summary>Reads the whole stream into memory after checking its length against a limit.</summary>
    public static byte[] ReadAll(Stream stream, string? file, long maxBytes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (stream.CanSeek)
        {
            long len = stream.Length - stream.Position;
            if (len > maxBytes)
            {
                throw IoError.Invalid(file, null, null, IoError.Inv($"the file is {len} bytes, more than the {maxBytes} bytes this reader accepts."));
            }

            byte[] buffer = new byte[len];
            int read = 0;
            while (read < len)
            {
                ct.ThrowIfCancellationRequested();
                int n = stream.Read(buffer, read, (int)Math.Min(len - read, 1 << 20));
                if (n == 0)
                {
                    throw IoError.Invalid(file, null, read, "the file ended before its reported length.");
                }

                read += n;
            }

            return buffer;
        }

        using var ms = new MemoryStream();
        byte[] chunk = new byte[1 << 16];
        int k;
        while ((k = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            if (ms.Length + k > maxBytes)
            {
                throw IoError.Invalid(file, null, ms.Length, IoError.Inv($"the file is larger than the {maxBytes} bytes this reader accepts."));
            }

            ms.Write(chunk, 0, k);
        }

        return ms.ToArray();
    }

    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
