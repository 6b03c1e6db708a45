namespace StxmPhase.Synthetic;

/// <summary>
/// The ground-truth geometry of a synthetic field of view: particle thickness, per-pixel phase fractions (at most two
/// phases per pixel), majority labels, boundary and particle masks. Built once per dataset from the master random stream.
/// </summary>
internal sealed class ParticleScene
{
    private const int HarmonicCount = 3; // boundary modulation harmonics k = 2, 3, 4
    private const int PlacementAttempts = 600;
    private const double GapPixels = 2.0;

    private ParticleScene(int width, int height, int phaseCount)
    {
        Width = width;
        Height = height;
        PhaseCount = phaseCount;
        int n = width * height;
        Thickness = new float[n];
        Fractions = new float[phaseCount * n];
        Labels = new int[n];
        Array.Fill(Labels, -1);
        Boundary = new bool[n];
        InParticle = new bool[n];
        ParticleIds = new int[n];
    }

    public int Width { get; }

    public int Height { get; }

    public int PhaseCount { get; }

    public float[] Thickness { get; }

    /// <summary>Phase-major fractions: [p · N + i].</summary>
    public float[] Fractions { get; }

    public int[] Labels { get; }

    public bool[] Boundary { get; }

    public bool[] InParticle { get; }

    /// <summary>The particle of each pixel: 0 off particles, 1 … N in placement order.</summary>
    public int[] ParticleIds { get; }

    public int ParticleCount { get; private set; }

    public static ParticleScene Build(SyntheticStackOptions options, int phaseCount, Random rng, CancellationToken cancellationToken)
    {
        var scene = new ParticleScene(options.Width, options.Height, phaseCount);
        List<Particle> particles = Place(options, rng);
        AssignPhases(options, particles, phaseCount, rng);
        for (int k = 0; k < particles.Count; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            scene.Rasterize(particles[k], options, k + 1);
        }

        scene.ParticleCount = particles.Count;
        return scene;
    }

    private static List<Particle> Place(SyntheticStackOptions options, Random rng)
    {
        double size = Math.Min(options.Width, options.Height);
        var placed = new List<Particle>(options.ParticleCount);
        for (int i = 0; i < options.ParticleCount; i++)
        {
            double scale = 1.0;
            Particle? accepted = null;
            for (int attempt = 0; attempt < PlacementAttempts && accepted is null; attempt++)
            {
                if (attempt > 0 && attempt % 100 == 0)
                {
                    scale *= 0.85; // crowded field: try smaller particles
                }

                double a = size * Lerp(options.MinParticleRadiusFraction, options.MaxParticleRadiusFraction, rng.NextDouble()) * scale;
                double b = a * Lerp(0.65, 1.0, rng.NextDouble());
                double angle = Math.PI * rng.NextDouble();
                double[] harmonics = new double[HarmonicCount];
                double[] phases = new double[HarmonicCount];
                double modulation = 0;
                for (int k = 0; k < HarmonicCount; k++)
                {
                    harmonics[k] = 0.07 * rng.NextDouble();
                    phases[k] = 2 * Math.PI * rng.NextDouble();
                    modulation += harmonics[k];
                }

                double bound = Math.Max(a, b) * (1 + modulation);
                double cx = PlaceCoordinate(options.Width, bound, rng.NextDouble());
                double cy = PlaceCoordinate(options.Height, bound, rng.NextDouble());
                double thickness = options.MaxThicknessOd * Lerp(0.6, 1.0, rng.NextDouble());
                bool overlaps = false;
                foreach (Particle other in placed)
                {
                    double dx = other.CenterX - cx;
                    double dy = other.CenterY - cy;
                    double minDistance = other.BoundingRadius + bound + GapPixels;
                    if ((dx * dx) + (dy * dy) < minDistance * minDistance)
                    {
                        overlaps = true;
                        break;
                    }
                }

                if (!overlaps)
                {
                    accepted = new Particle(cx, cy, a, b, angle, harmonics, phases, bound, thickness);
                }
            }

            if (accepted is null)
            {
                break; // the field is full; fewer particles than requested (reported in SyntheticDataset.ParticleCount)
            }

            placed.Add(accepted);
        }

        return placed;
    }

    private static void AssignPhases(SyntheticStackOptions options, List<Particle> particles, int phaseCount, Random rng)
    {
        switch (options.DomainLayout)
        {
            case DomainLayout.CoreShell:
            {
                // Core phases cycle through a shuffled 0 … P − 2 so that every phase appears when there are enough particles;
                // the shell is the next, more oxidised (Na-poorer) phase.
                int[] cycle = Shuffled(phaseCount - 1, rng);
                for (int i = 0; i < particles.Count; i++)
                {
                    Particle particle = particles[i];
                    particle.Phases = [cycle[i % cycle.Length], cycle[i % cycle.Length] + 1];
                    particle.CoreFraction = Lerp(0.45, 0.7, rng.NextDouble());
                    particle.CoreHarmonics = new double[HarmonicCount];
                    particle.CoreCos = new double[HarmonicCount];
                    particle.CoreSin = new double[HarmonicCount];
                    for (int k = 0; k < HarmonicCount; k++)
                    {
                        particle.CoreHarmonics[k] = 0.08 * rng.NextDouble();
                        (particle.CoreSin[k], particle.CoreCos[k]) = Math.SinCos(2 * Math.PI * rng.NextDouble());
                    }
                }

                break;
            }

            case DomainLayout.Voronoi:
            {
                // Each particle holds k consecutive phases; the first phase cycles through a shuffled 0 … P − k so that every
                // phase appears when there are enough particles.
                int k = Math.Min(options.DomainsPerParticle, phaseCount);
                int[] firsts = Shuffled(phaseCount - k + 1, rng);
                for (int i = 0; i < particles.Count; i++)
                {
                    Particle particle = particles[i];
                    int first = firsts[i % firsts.Length];
                    int[] order = Shuffled(k, rng);
                    particle.Phases = new int[k];
                    particle.SeedX = new double[k];
                    particle.SeedY = new double[k];
                    for (int s = 0; s < k; s++)
                    {
                        particle.Phases[s] = first + order[s];
                        double r = 0.75 * Math.Sqrt(rng.NextDouble());
                        double t = 2 * Math.PI * rng.NextDouble();
                        (particle.SeedX[s], particle.SeedY[s]) =
                            particle.ToImage(r * particle.SemiAxisA * Math.Cos(t), r * particle.SemiAxisB * Math.Sin(t));
                    }
                }

                break;
            }

            default:
            {
                int[] cycle = Shuffled(phaseCount, rng);
                for (int i = 0; i < particles.Count; i++)
                {
                    particles[i].Phases = [cycle[i % cycle.Length]];
                }

                break;
            }
        }
    }

    private void Rasterize(Particle particle, SyntheticStackOptions options, int id)
    {
        int n = Width * Height;
        int x0 = Math.Max(0, (int)Math.Floor(particle.CenterX - particle.BoundingRadius));
        int x1 = Math.Min(Width - 1, (int)Math.Ceiling(particle.CenterX + particle.BoundingRadius));
        int y0 = Math.Max(0, (int)Math.Floor(particle.CenterY - particle.BoundingRadius));
        int y1 = Math.Min(Height - 1, (int)Math.Ceiling(particle.CenterY + particle.BoundingRadius));
        double boundaryWidth = options.BoundaryWidthPixels;
        (double sin, double cos) = (particle.SinAngle, particle.CosAngle);
        double outer = 1.0;
        foreach (double c in particle.Harmonics)
        {
            outer += c;
        }

        double outerSquared = outer * outer;
        for (int y = y0; y <= y1; y++)
        {
            for (int x = x0; x <= x1; x++)
            {
                double dx = x - particle.CenterX;
                double dy = y - particle.CenterY;
                double u = ((dx * cos) + (dy * sin)) / particle.SemiAxisA;
                double v = ((-dx * sin) + (dy * cos)) / particle.SemiAxisB;
                double r2 = (u * u) + (v * v);
                if (r2 >= outerSquared)
                {
                    continue; // outside the largest possible boundary
                }

                double r = Math.Sqrt(r2);
                // Direction φ of the point in the particle frame, as (cos φ, sin φ) (φ = 0 at the centre).
                (double cosPhi, double sinPhi) = r > 0 ? (u / r, v / r) : (1.0, 0.0);
                double rho = r / Modulation(particle.Harmonics, particle.HarmonicCos, particle.HarmonicSin, cosPhi, sinPhi);
                if (rho >= 1.0)
                {
                    continue;
                }

                int i = (y * Width) + x;
                InParticle[i] = true;
                ParticleIds[i] = id;
                Thickness[i] = (float)(particle.CenterThickness * Math.Sqrt(1.0 - (rho * rho)));
                (int major, int minor, double minorFraction) = Composition(particle, x, y, dx, dy, rho, cosPhi, sinPhi, boundaryWidth);
                if (minorFraction > 0)
                {
                    Fractions[(minor * n) + i] = (float)minorFraction;
                    Fractions[(major * n) + i] = (float)(1.0 - minorFraction);
                    Boundary[i] = true;
                }
                else
                {
                    Fractions[(major * n) + i] = 1f;
                }

                Labels[i] = major;
            }
        }
    }

    /// <summary>Returns the majority phase, the minority phase and the minority fraction (0 for a pure pixel, ≤ ½).</summary>
    private static (int Major, int Minor, double MinorFraction) Composition(
        Particle particle, int x, int y, double dx, double dy, double rho, double cosPhi, double sinPhi, double boundaryWidth)
    {
        int[] phases = particle.Phases;
        if (phases.Length == 1)
        {
            return (phases[0], phases[0], 0);
        }

        if (particle.SeedX is null)
        {
            // Core–shell. g(x, y) = |d| · (1 − ρc/ρ) is the distance from the core boundary along the ray from the centre
            // (|d|/ρ is the particle radius in pixels along that ray), positive in the shell. Dividing by |∇g| taken where the
            // ray crosses the core boundary (central differences of ±½ px) turns it into the distance perpendicular to the
            // interface to first order, so the transition zone is about w pixels wide whatever the interface orientation.
            int core = phases[0];
            int shell = phases[1];
            if (rho < 1e-9)
            {
                return (core, shell, 0);
            }

            double rhoCore = particle.CoreFraction * Modulation(particle.CoreHarmonics!, particle.CoreCos!, particle.CoreSin!, cosPhi, sinPhi);
            double g = Math.Sqrt((dx * dx) + (dy * dy)) * (1.0 - (rhoCore / rho));
            double ix = dx * rhoCore / rho; // where the ray meets the core boundary
            double iy = dy * rhoCore / rho;
            if ((ix * ix) + (iy * iy) > 1.0)
            {
                double gx = CoreDistanceAlongRay(particle, ix + 0.5, iy) - CoreDistanceAlongRay(particle, ix - 0.5, iy);
                double gy = CoreDistanceAlongRay(particle, ix, iy + 0.5) - CoreDistanceAlongRay(particle, ix, iy - 0.5);
                double gradient = Math.Sqrt((gx * gx) + (gy * gy));
                g = gradient > 1.0 ? g / gradient : g;
            }

            return Split(core, shell, g, boundaryWidth);
        }

        // Voronoi. The cell of the nearest seed s1 is convex, so the distance of the pixel to the cell boundary is the smallest
        // distance to a bisector: h = min over k ≠ s1 of (d_k² − d_1²) / (2 |c_1 − c_k|). The seed k attaining it owns the
        // neighbouring domain across that boundary.
        int s1 = 0;
        double d1 = double.PositiveInfinity;
        for (int k = 0; k < phases.Length; k++)
        {
            double d = SquaredDistance(particle, k, x, y);
            if (d < d1)
            {
                d1 = d;
                s1 = k;
            }
        }

        int s2 = s1;
        double h = double.PositiveInfinity;
        for (int k = 0; k < phases.Length; k++)
        {
            if (k == s1)
            {
                continue;
            }

            double sx = particle.SeedX[s1] - particle.SeedX[k];
            double sy = particle.SeedY![s1] - particle.SeedY[k];
            double separation = Math.Sqrt((sx * sx) + (sy * sy));
            double hk = separation > 0 ? (SquaredDistance(particle, k, x, y) - d1) / (2 * separation) : double.PositiveInfinity;
            if (hk < h)
            {
                h = hk;
                s2 = k;
            }
        }

        // h ≥ 0 is the distance into the domain of s1; mirror it to a signed distance where positive means "s2 side".
        return Split(phases[s1], phases[s2], -h, boundaryWidth);
    }

    private static double SquaredDistance(Particle particle, int seed, int x, int y)
    {
        double ex = x - particle.SeedX![seed];
        double ey = y - particle.SeedY![seed];
        return (ex * ex) + (ey * ey);
    }

    /// <summary>g = |d| · (1 − ρc(φ)/ρ) at offset (dx, dy) from the particle centre: core-boundary distance along the ray.</summary>
    private static double CoreDistanceAlongRay(Particle particle, double dx, double dy)
    {
        (double sin, double cos) = (particle.SinAngle, particle.CosAngle);
        double u = ((dx * cos) + (dy * sin)) / particle.SemiAxisA;
        double v = ((-dx * sin) + (dy * cos)) / particle.SemiAxisB;
        double r = Math.Sqrt((u * u) + (v * v));
        if (r < 1e-12)
        {
            return -particle.CoreFraction * Math.Min(particle.SemiAxisA, particle.SemiAxisB);
        }

        double cosPhi = u / r;
        double sinPhi = v / r;
        double rho = r / Modulation(particle.Harmonics, particle.HarmonicCos, particle.HarmonicSin, cosPhi, sinPhi);
        double rhoCore = particle.CoreFraction * Modulation(particle.CoreHarmonics!, particle.CoreCos!, particle.CoreSin!, cosPhi, sinPhi);
        return Math.Sqrt((dx * dx) + (dy * dy)) * (1.0 - (rhoCore / rho));
    }

    /// <summary>
    /// Linear transition of width w centred on the interface: fraction of <paramref name="positiveSide"/> = clamp(½ + s/w, 0, 1).
    /// </summary>
    private static (int Major, int Minor, double MinorFraction) Split(int negativeSide, int positiveSide, double s, double width)
    {
        double f = width > 0 ? Math.Clamp(0.5 + (s / width), 0.0, 1.0) : (s >= 0 ? 1.0 : 0.0);
        if (negativeSide == positiveSide || f <= 0.0)
        {
            return (negativeSide, positiveSide, 0);
        }

        if (f >= 1.0)
        {
            return (positiveSide, negativeSide, 0);
        }

        return f > 0.5 ? (positiveSide, negativeSide, 1.0 - f) : (negativeSide, positiveSide, f);
    }

    /// <summary>
    /// Boundary modulation m(φ) = 1 + Σ<sub>k=2..4</sub> c<sub>k</sub>·cos(kφ + ψ<sub>k</sub>), evaluated from (cos φ, sin φ) by
    /// complex multiplication (cos kφ, sin kφ) = (cos φ, sin φ)<sup>k</sup> and cos(kφ + ψ) = cos kφ·cos ψ − sin kφ·sin ψ.
    /// </summary>
    private static double Modulation(double[] amplitudes, double[] phaseCos, double[] phaseSin, double cosPhi, double sinPhi)
    {
        double ck = (cosPhi * cosPhi) - (sinPhi * sinPhi); // k = 2
        double sk = 2 * cosPhi * sinPhi;
        double m = 1.0;
        for (int k = 0; k < amplitudes.Length; k++)
        {
            m += amplitudes[k] * ((ck * phaseCos[k]) - (sk * phaseSin[k]));
            (ck, sk) = ((ck * cosPhi) - (sk * sinPhi), (sk * cosPhi) + (ck * sinPhi));
        }

        return m;
    }

    private static double PlaceCoordinate(int extent, double bound, double u)
    {
        double lo = bound + 1;
        double hi = extent - 1 - bound - 1;
        return hi > lo ? Lerp(lo, hi, u) : (extent - 1) / 2.0;
    }

    private static int[] Shuffled(int count, Random rng)
    {
        int[] values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = i;
        }

        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }

        return values;
    }

    private static double Lerp(double a, double b, double t) => a + ((b - a) * t);

    private sealed class Particle(
        double centerX, double centerY, double semiAxisA, double semiAxisB, double angle,
        double[] harmonics, double[] harmonicPhases, double boundingRadius, double centerThickness)
    {
        public double CenterX { get; } = centerX;

        public double CenterY { get; } = centerY;

        public double SemiAxisA { get; } = semiAxisA;

        public double SemiAxisB { get; } = semiAxisB;

        public double Angle { get; } = angle;

        public double SinAngle { get; } = Math.Sin(angle);

        public double CosAngle { get; } = Math.Cos(angle);

        public double[] Harmonics { get; } = harmonics;

        public double[] HarmonicCos { get; } = [.. harmonicPhases.Select(Math.Cos)];

        public double[] HarmonicSin { get; } = [.. harmonicPhases.Select(Math.Sin)];

        public double BoundingRadius { get; } = boundingRadius;

        public double CenterThickness { get; } = centerThickness;

        public int[] Phases { get; set; } = [];

        public double CoreFraction { get; set; }

        public double[]? CoreHarmonics { get; set; }

        public double[]? CoreCos { get; set; }

        public double[]? CoreSin { get; set; }

        public double[]? SeedX { get; set; }

        public double[]? SeedY { get; set; }

        /// <summary>Maps particle-frame coordinates (along the a and b axes) to image coordinates.</summary>
        public (double X, double Y) ToImage(double u, double v)
        {
            (double sin, double cos) = Math.SinCos(Angle);
            return (CenterX + (u * cos) - (v * sin), CenterY + (u * sin) + (v * cos));
        }
    }
}
