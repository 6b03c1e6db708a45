using System.Globalization;
using System.Text;
using System.Text.Json;
using StxmPhase.Spectra;

namespace StxmPhase.Cli;

/// <summary>Formats per-particle statistics: <c>particles.csv</c> and the <c>particles</c> section of summary.json.</summary>
internal static class ParticleOutput
{
    /// <summary>The composition map of a result when reference values were given (validated against the references).</summary>
    /// <exception cref="UsageException">The number of values differs from the number of references, or two are equal.</exception>
    public static Unmixing.CompositionMap? Composition(PhaseMappingRun run, PhaseMappingResult r, IReadOnlyList<double>? values)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count != run.References.PhaseCount || values.Distinct().Count() != values.Count)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture,
                $"--reference-values has {values.Count} values ({string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)))}); "
                + $"expected {run.References.PhaseCount} distinct values, one per reference column "
                + $"({string.Join(", ", run.References.PhaseNames)})."));
        }

        return Unmixing.CompositionEstimator.Estimate(r.OpticalDensity, run.References, values, r.SampleMask);
    }

    /// <summary>
    /// Returns particles.csv, whose columns are
    /// <c>particle,pixels,centroid_x,centroid_y[,area_um2],fraction_&lt;phase&gt;…,mass_fraction_&lt;phase&gt;…</c> and then
    /// <c>[,composition_mean,composition_sd],unassigned</c>
    /// (area only when the pixel size is known, composition only when reference values were given), one row per particle.
    /// </summary>
    public static string Csv(ParticleAnalysis a)
    {
        bool area = a.Particles.Count > 0 && a.Particles[0].AreaSquareMicrometres is not null;
        bool composition = a.Particles.Count > 0 && a.Particles[0].CompositionMean is not null;
        var sb = new StringBuilder();
        sb.Append("particle,pixels,centroid_x,centroid_y");
        if (area)
        {
            sb.Append(",area_um2");
        }

        foreach (string p in a.PhaseNames)
        {
            sb.Append(",fraction_").Append(Column(p));
        }

        foreach (string p in a.PhaseNames)
        {
            sb.Append(",mass_fraction_").Append(Column(p));
        }

        if (composition)
        {
            sb.Append(",composition_mean,composition_sd");
        }

        sb.Append(",unassigned\n");
        foreach (ParticleStatistics s in a.Particles)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{s.Particle},{s.Pixels},{Num(s.CentroidX)},{Num(s.CentroidY)}");
            if (area)
            {
                sb.Append(',').Append(Num(s.AreaSquareMicrometres!.Value));
            }

            foreach (double f in s.Fractions)
            {
                sb.Append(',').Append(Num(f));
            }

            foreach (double f in s.MassFractions)
            {
                sb.Append(',').Append(Num(f));
            }

            if (composition)
            {
                sb.Append(',').Append(Num(s.CompositionMean!.Value)).Append(',').Append(Num(s.CompositionSd!.Value));
            }

            sb.Append(',').Append(Num(s.Unassigned)).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>Writes the <c>particles</c> object: the segmentation options, the count and one entry per particle.</summary>
    public static void WriteSummary(Utf8JsonWriter j, ParticleAnalysis a, ParticleSegmentationOptions options)
    {
        j.WriteStartObject("particles");
        j.WriteNumber("count", a.Labels.Count);
        j.WriteNumber("min_pixels", options.MinimumPixels);
        j.WriteNumber("split_distance", options.SplitDistance);
        j.WriteStartArray("items");
        foreach (ParticleStatistics s in a.Particles)
        {
            j.WriteStartObject();
            j.WriteNumber("particle", s.Particle);
            j.WriteNumber("pixels", s.Pixels);
            j.WriteNumber("centroid_x", Math.Round(s.CentroidX, 3));
            j.WriteNumber("centroid_y", Math.Round(s.CentroidY, 3));
            if (s.AreaSquareMicrometres is double areaUm2)
            {
                j.WriteNumber("area_um2", areaUm2);
            }

            WritePhases(j, "fractions", a.PhaseNames, s.Fractions);
            WritePhases(j, "mass_fractions", a.PhaseNames, s.MassFractions);
            if (s.CompositionMean is double mean && s.CompositionSd is double sd && double.IsFinite(mean))
            {
                j.WriteNumber("composition_mean", mean);
                j.WriteNumber("composition_sd", sd);
            }

            j.WriteNumber("unassigned", s.Unassigned);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteEndObject();
    }

    private static void WritePhases(Utf8JsonWriter j, string name, IReadOnlyList<string> phases, IReadOnlyList<double> values)
    {
        j.WriteStartObject(name);
        for (int i = 0; i < phases.Count; i++)
        {
            j.WriteNumber(phases[i], values[i]);
        }

        j.WriteEndObject();
    }

    /// <summary>A phase name as a CSV column suffix: commas, quotes and line breaks become underscores.</summary>
    private static string Column(string phase)
    {
        var sb = new StringBuilder(phase.Length);
        foreach (char c in phase)
        {
            sb.Append(c is ',' or '"' or '\n' or '\r' ? '_' : c);
        }

        return sb.ToString();
    }

    private static string Num(double v) => double.IsFinite(v) ? v.ToString("G9", CultureInfo.InvariantCulture) : "NaN";
}
