using System.Buffers.Binary;
using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.IO;

/// <summary>Writes aXis2000 <c>.ncb</c> + <c>.dat</c> stacks (read them with <see cref="NcbStackReader"/>).</summary>
public static class NcbFile
{
    /// <summary>
    /// Writes <paramref name="stack"/> as <c>{stem}.ncb</c> and <c>{stem}.dat</c>, each atomically.
    /// </summary>
    /// <param name="path">The <c>.ncb</c> path (the <c>.dat</c> goes beside it with the same stem).</param>
    /// <param name="stack">The stack.</param>
    /// <param name="forceFloat32">Write float32 (scale = −1) even when int16 with a scale would do.</param>
    /// <remarks>
    /// Scale rule (MANTiS): m = max|value|; when m &gt; 3·10⁴ or m &lt; 10³, scale = 10^(3 − trunc(log10 m)) and the file
    /// stores int16(round(value · scale)); otherwise, or when <paramref name="forceFloat32"/> is set or a value is not
    /// finite, scale = −1 and the file stores float32. The int16 path loses precision below 1/scale.
    /// x runs 0…(width − 1)·pixel size in µm when the pixel size is known, else 0…width.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="stack"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty.</exception>
    /// <exception cref="IOException">A file cannot be written.</exception>
    public static void Write(string path, SpectralStack stack, bool forceFloat32 = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(stack);
        ReadOnlySpan<float> data = stack.Data.Span;
        double max = 0;
        bool finite = true;
        foreach (float v in data)
        {
            if (!float.IsFinite(v))
            {
                finite = false;
                break;
            }

            max = Math.Max(max, Math.Abs(v));
        }

        double scale = -1;
        if (!forceFloat32 && finite && max > 0 && (max > 3e4 || max < 1e3))
        {
            scale = Math.Pow(10, 3 - Math.Truncate(Math.Log10(max)));
        }

        byte[] bytes = new byte[data.Length * (scale < 0 ? 4 : 2)];
        for (int i = 0; i < data.Length; i++)
        {
            if (scale < 0)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4, 4), data[i]);
            }
            else
            {
                double s = Math.Clamp(Math.Round(data[i] * scale), short.MinValue, short.MaxValue);
                BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(i * 2, 2), (short)s);
            }
        }

        CultureInfo c = CultureInfo.InvariantCulture;
        double xStop = stack.Metadata.PixelSizeXNm is double px ? (stack.Width - 1) * px / 1000.0 : stack.Width;
        double yStop = stack.Metadata.PixelSizeYNm is double py ? (stack.Height - 1) * py / 1000.0 : stack.Height;
        string ncbPath = Path.ChangeExtension(path, ".ncb");
        string datPath = Path.ChangeExtension(path, ".dat");
        AtomicFile.Write(ncbPath, s => s.Write(bytes));
        AtomicFile.WriteText(datPath, w =>
        {
            w.WriteLine(string.Create(c, $"{stack.Width} {stack.Height} {scale:R}"));
            w.WriteLine(string.Create(c, $"{0.0:F6} {xStop:R}"));
            w.WriteLine(string.Create(c, $"{0.0:F6} {yStop:R}"));
            w.WriteLine(stack.EnergyCount.ToString(c));
            foreach (double e in stack.Energies)
            {
                w.WriteLine(e.ToString("R", c));
            }

            if (stack.Metadata.DwellTimeMs is double dwell)
            {
                for (int i = 0; i < stack.EnergyCount; i++)
                {
                    w.WriteLine(string.Create(c, $"image{i + 1} {stack.Energies[i]:F6} {dwell:F6}"));
                }
            }
        });
    }
}
