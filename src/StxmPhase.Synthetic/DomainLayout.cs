namespace StxmPhase.Synthetic;

/// <summary>How phase domains are arranged inside each synthetic particle.</summary>
public enum DomainLayout
{
    /// <summary>
    /// A Na-rich core surrounded by a Na-poor shell of the next (more oxidised) phase, as left by a shrinking-core
    /// desodiation front. The core boundary is an irregular closed curve at 45–70 % of the particle radius.
    /// </summary>
    CoreShell = 0,

    /// <summary>
    /// <see cref="SyntheticStackOptions.DomainsPerParticle"/> Voronoi cells per particle, each with its own phase; the
    /// phases of one particle are consecutive in Na content (for example Na2.4, Na2.0, Na1.0), so neighbouring domains are
    /// spectrally similar.
    /// </summary>
    Voronoi = 1,

    /// <summary>One phase per particle and no internal boundaries.</summary>
    Uniform = 2,
}
