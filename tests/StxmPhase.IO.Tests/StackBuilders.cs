using StxmPhase.Spectra;

namespace StxmPhase.IO.Tests;

internal static class StackBuilders
{
    /// <summary>A stack with value(e, y, x) = scale · (100e + 10y + x) + offset.</summary>
    public static SpectralStack Cube(int e, int h, int w, float scale = 1f, float offset = 0f, StackMetadata? meta = null)
    {
        float[] data = new float[e * h * w];
        for (int k = 0; k < e; k++)
        {
            for (int y = 0; y < h; y++)
            {
                for (int x = 0; x < w; x++)
                {
                    data[(k * h * w) + (y * w) + x] = (scale * TestFiles.Cube(k, y, x)) + offset;
                }
            }
        }

        var axis = new EnergyAxis(Enumerable.Range(0, e).Select(i => 700.0 + (0.5 * i)));
        return new SpectralStack(axis, w, h, data, SpectralQuantity.Transmission, meta);
    }
}
