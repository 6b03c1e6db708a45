using System.CommandLine;
using System.Globalization;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>The particle-statistics options of map and demo (<c>particles.csv</c>, the <c>particles</c> summary section).</summary>
internal sealed class ParticleOptions
{
    private readonly Option<int> _minPixels = ValidatedOption.Int("--min-particle-pixels",
        "Smallest particle in pixels for particles.csv; smaller components of the sample mask are ignored (1 to 2^31−1).", 10, 1);
    private readonly Option<double> _split = ValidatedOption.Real("--split-particles",
        "Split touching particles: cores are mask pixels farther than this many pixels from the background, grown back through the mask "
        + "(0 = off: one particle per connected component).",
        0, 0, 1e6);

    private readonly Option<string?> _values = new("--reference-values")
    {
        Description = "One numeric coordinate per reference column, in order, comma-separated (e.g. Na content 3.0,2.4,2.0,1.0,0.8): "
            + "writes composition.npy and composition-sd.npy and the per-particle composition.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(_minPixels);
        command.Options.Add(_split);
        command.Options.Add(_values);
    }

    /// <summary>Parses --reference-values (null when absent).</summary>
    /// <exception cref="UsageException">A value is not a finite number (the message names its position and text).</exception>
    public double[]? BindValues(ParseResult p)
    {
        string? text = p.GetValue(_values);
        if (text is null)
        {
            return null;
        }

        string[] parts = text.Split(',', StringSplitOptions.TrimEntries);
        double[] values = new double[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]) || !double.IsFinite(values[i]))
            {
                throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                    $"--reference-values: value {i + 1} ('{parts[i]}') is not a finite number."));
            }
        }

        return values;
    }

    public ParticleSegmentationOptions Bind(ParseResult p) => new()
    {
        MinimumPixels = p.GetValue(_minPixels),
        SplitDistance = p.GetValue(_split),
    };
}
