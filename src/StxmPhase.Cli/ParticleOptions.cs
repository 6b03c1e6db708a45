using System.CommandLine;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>The particle-statistics options of map and demo (<c>particles.csv</c>, the <c>particles</c> summary section).</summary>
internal sealed class ParticleOptions
{
    private readonly Option<int> _minPixels = ValidatedOption.Int("--min-particle-pixels", "Smallest particle in pixels for particles.csv; smaller components of the sample mask are ignored (1 to 2^31−1).", 10, 1);
    private readonly Option<double> _split = ValidatedOption.Real("--split-particles", "Split touching particles: cores are mask pixels farther than this many pixels from the background, grown back through the mask (0 = off: one particle per connected component).", 0, 0, 1e6);

    public void AddTo(Command command)
    {
        command.Options.Add(_minPixels);
        command.Options.Add(_split);
    }

    public ParticleSegmentationOptions Bind(ParseResult p) => new()
    {
        MinimumPixels = p.GetValue(_minPixels),
        SplitDistance = p.GetValue(_split),
    };
}
