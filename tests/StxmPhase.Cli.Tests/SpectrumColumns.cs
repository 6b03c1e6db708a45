using System.Globalization;

namespace StxmPhase.Cli.Tests;

/// <summary>The test oracle for two-column spectrum text files (energy, value): reads them independently of the library's
/// reader and interpolates them linearly.</summary>
internal static class SpectrumColumns
{
    /// <summary>Reads the whitespace-separated energy and value columns of a spectrum text file.</summary>
    public static (double[] E, double[] V) Read(string path)
    {
        var rows = File.ReadAllLines(path).Where(l => l.Trim().Length > 0)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
        return (rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray());
    }

    /// <summary>Linear interpolation, r(E) = r_i + (r_(i+1) − r_i)(E − e_i)/(e_(i+1) − e_i), exact at the knots.</summary>
    public static double[] Interpolate((double[] E, double[] V) s, double[] at) => at.Select(x =>
    {
        int i = Array.BinarySearch(s.E, x);
        if (i >= 0)
        {
            return s.V[i];
        }

        int hi = ~i, lo = hi - 1;
        double w = (x - s.E[lo]) / (s.E[hi] - s.E[lo]);
        return s.V[lo] + ((s.V[hi] - s.V[lo]) * w);
    }).ToArray();
}
