// Where the fused final map's gain goes (docs/accuracy.md, "Several edge stacks fused", "What was tried for the final map"): on
// the fields of `evaluate --synthetic --fusion` (MultiEdgeGenerator.IssueEdges, 96² px, O K displaced by (3.3, −1.6) px), V L
// alone and the weighted block fusion are mapped with the default pipeline (PCA encoder, Mahalanobis latent assigner, as the
// CLI), and the final map is taken apart: the noise model's labels (interior / boundary truth pixels), its scale τ, the Potts
// strength β the MRF estimated, the MRF redone at fixed β (and at the other input's β), the pixels the latent reassignment
// changed, "no match" truth pixels, the boundary errors by kind, and two relabellings of the MRF's domain edges (the noise
// model's own label; the majority of a noise-weighted fit by the two phases that meet there). Each row: mean over the seeds,
// and fusion − V L alone paired over the seeds with its 95 % Student-t interval (* = excludes 0). Run from the repository
// root (OMP_NUM_THREADS=1; about 12 s per seed):
//   dotnet run -c Release docs/measurements/fusion-final-map.cs -- [V L dose] [O K dose] [calibration errors] [first seed] [seeds]
//     [O K displacement x,y in px]
//   e.g. dotnet run -c Release docs/measurements/fusion-final-map.cs -- 300 7500 false 1 20
//     [resampling of the registered O K stack: bilinear (EdgeFusion's) or cubic (Keys, a = −1/2; this script's)]
//   (a displacement of 0,0 leaves the O K stack unresampled: registration finds no shift)
#:project ../../src/StxmPhase
#:property TreatWarningsAsErrors=false
#:property AnalysisMode=Default

using System.Globalization;
using StxmPhase;
using StxmPhase.Assignment;
using StxmPhase.Correlation;
using StxmPhase.Spectra;
using StxmPhase.Synthetic;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
string Arg(int i, string fallback) => args.Length > i ? args[i] : fallback;
double vanadiumDose = double.Parse(Arg(0, "300"), CultureInfo.InvariantCulture);
double oxygenDose = double.Parse(Arg(1, "7500"), CultureInfo.InvariantCulture);
bool calibration = bool.Parse(Arg(2, "false"));
int firstSeed = int.Parse(Arg(3, "1"), CultureInfo.InvariantCulture), seeds = int.Parse(Arg(4, "20"), CultureInfo.InvariantCulture);
double[] shift = [.. Arg(5, "3.3,-1.6").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
bool cubic = Arg(6, "bilinear") == "cubic";
const int Size = 96;
double[] betas = [1.0, 1.5, 2.0, 3.0, 4.0];
string[] inputs = ["V L alone", "fusion"];
var rows = new Dictionary<string, double[,]>(); // quantity → [input, seed]
void Put(string key, int input, int s, double value)
{
    if (!rows.TryGetValue(key, out double[,]? a))
    {
        rows[key] = a = new double[2, seeds];
    }

    a[input, s] = value;
}

for (int s = 0; s < seeds; s++)
{
    int seed = firstSeed + s;
    MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
    {
        Edges = MultiEdgeGenerator.IssueEdges(Size, seed, vanadiumDose, calibration, oxygenDose),
        Offsets = [new(0, 0), new(shift[0], shift[1])],
    });
    SyntheticDataset truth = field.Edges[0];
    FusedEdgeStack fused = EdgeFusion.Fuse([.. field.Edges.Select(e => e.OpticalDensity)], ["V L", "O K"]);
    int n = fused.Stack.PixelCount, first = fused.Blocks.Counts[0];
    SpectralStack stack = fused.Stack; // the block weights stay EdgeFusion's (they do not enter the noise model or the MRF)
    if (cubic)
    {
        float[] data = fused.Stack.Data.ToArray();
        CubicShift(field.Edges[1].OpticalDensity, fused.Shifts[1].X, fused.Shifts[1].Y, data.AsSpan(first * n));
        stack = new SpectralStack(fused.Stack.Energies, Size, Size, data, SpectralQuantity.OpticalDensity, fused.Stack.Metadata);
    }

    var alone = new SpectralStack(fused.Blocks.BlockEnergies(stack.Energies, 0), Size, Size,
        stack.Data.Slice(0, first * n).ToArray(), SpectralQuantity.OpticalDensity, stack.Metadata);
    PhaseMappingInput[] input = [new PhaseMappingInput(alone), new PhaseMappingInput(stack) { Blocks = fused.Blocks }];
    var strength = new double[2];
    var likelihoods = new float[2][];
    var finals = new int[2][];
    var phases = new int[2];
    PixelMask boundary = truth.BoundaryMask, interior = boundary.Not();
    int[] t = truth.Truth.Labels.ToArray();
    double Acc(int[] labels, PixelMask? include = null) =>
        100 * PhaseMappingEvaluation.Compare(new PhaseMap(Size, Size, truth.Truth.PhaseNames, labels), truth.Truth, include).Accuracy;
    for (int i = 0; i < 2; i++)
    {
        using PhaseMappingRun run = new PhaseMappingWorkflow
        {
            EncoderTrainer = new PcaEncoderTrainer(), Assigner = new MahalanobisAssigner(), Options = new PhaseMappingOptions { Seed = seed },
        }.Run(input[i], truth.References);
        PhaseMappingResult r = run.Results[0];
        PhasePosteriors post = r.Posteriors!;
        int[] final = r.FinalMap.Labels.ToArray(), labels = post.Labels.ToArray(), mrf = r.Regularized!.Labels.ToArray();
        finals[i] = final;
        phases[i] = post.PhaseCount;
        strength[i] = r.Regularized.Strength;
        Put("posterior labels (no MRF)", i, s, Acc(labels));
        Put("posterior labels, interior", i, s, Acc(labels, interior));
        Put("posterior labels, boundary", i, s, Acc(labels, boundary));
        Put("final map", i, s, Acc(final));
        Put("final map, interior", i, s, Acc(final, interior));
        Put("final map, boundary", i, s, Acc(final, boundary));
        Put("noise-model scale τ", i, s, post.Temperature);
        Put("Potts β (estimated)", i, s, strength[i]);
        Put("truth pixels 'no match' in the final map", i, s, Enumerable.Range(0, n).Count(p => t[p] >= 0 && final[p] == PhaseMap.NoMatch));
        Put("final-map pixels the latent stage set (≠ MRF label)", i, s,
            Enumerable.Range(0, n).Count(p => final[p] >= 0 && mrf[p] >= 0 && final[p] != mrf[p]));
        float[] lik = post.Posteriors.ToArray(); // the MRF's unary terms: posteriors ÷ prior (PosteriorStage.Likelihoods)
        for (int k = 0; k < post.PhaseCount; k++)
        {
            for (int p = 0; p < n; p++)
            {
                lik[(k * n) + p] /= (float)Math.Max(post.Prior[k], 1e-12);
            }
        }

        likelihoods[i] = lik;
        BoundaryErrors(final, t, boundary, out int neighbour, out int other);
        Put("boundary errors: a phase of the 3×3 truth (px)", i, s, neighbour);
        Put("boundary errors: another phase or unassigned (px)", i, s, other);
        int[] own = (int[])final.Clone(), pair = (int[])final.Clone();
        EdgeRelabel(final, labels, r.OpticalDensity, run.References, post, i == 0 ? r.OpticalDensity.EnergyCount : first, own, pair);
        Put("MRF domain edges take the noise model's label", i, s, Acc(own));
        Put("MRF domain edges take the two-phase fit's majority", i, s, Acc(pair));
    }

    for (int i = 0; i < 2; i++)
    {
        foreach (double b in betas)
        {
            Put(string.Create(CultureInfo.InvariantCulture, $"final map, MRF at fixed β = {b}"), i, s,
                Acc(WithMrf(finals[i], likelihoods[i], phases[i], b)));
        }

        Put("final map, MRF at the other input's β", i, s, Acc(WithMrf(finals[i], likelihoods[i], phases[i], strength[1 - i])));
    }

    Console.Error.WriteLine($"seed {seed} done");
}

Console.WriteLine($"V L dose {vanadiumDose}, O K dose {oxygenDose}, calibration errors {calibration}, O K displaced by ({shift[0]}, {shift[1]}) px, "
    + $"{(cubic ? "cubic" : "bilinear")} resampling; "
    + $"{Size}² px, seeds {firstSeed}–{firstSeed + seeds - 1}");
Console.WriteLine();
Console.WriteLine("| quantity | V L alone | fusion | fusion − V L alone (95 % t-interval) | seeds better / worse |");
Console.WriteLine("|---|---|---|---|---|");
foreach ((string key, double[,] a) in rows)
{
    double[] d = [.. Enumerable.Range(0, seeds).Select(s => a[1, s] - a[0, s])];
    double mean0 = Enumerable.Range(0, seeds).Average(s => a[0, s]), mean1 = Enumerable.Range(0, seeds).Average(s => a[1, s]);
    string diff = seeds > 1 ? PairedDifference.Of(d).Format() : d[0].ToString("+0.00;−0.00", CultureInfo.InvariantCulture);
    Console.WriteLine($"| {key} | {mean0:0.00} | {mean1:0.00} | {diff} | {d.Count(v => v > 0)} / {d.Count(v => v < 0)} |");
}

// The final map with the MRF redone at strength β: every pixel the pipeline labelled takes the new MRF's label ("no match" stays).
static int[] WithMrf(int[] final, float[] likelihoods, int phases, double beta)
{
    PottsResult mrf = PottsRegularizer.Regularize(likelihoods, Size, Size, phases, new PottsOptions { Strength = beta });
    int[] map = (int[])final.Clone();
    for (int p = 0; p < map.Length; p++)
    {
        map[p] = map[p] >= 0 && mrf.Labels[p] >= 0 ? mrf.Labels[p] : map[p];
    }

    return map;
}

// Wrong boundary (mixed) truth pixels: labelled with a phase present in the 3×3 truth neighbourhood (the boundary placed on the
// wrong side) or with another phase / unassigned.
static void BoundaryErrors(int[] final, int[] truth, PixelMask boundary, out int neighbour, out int other)
{
    neighbour = other = 0;
    for (int y = 0; y < Size; y++)
    {
        for (int x = 0; x < Size; x++)
        {
            int p = (y * Size) + x;
            if (truth[p] < 0 || !boundary[p] || final[p] == truth[p])
            {
                continue;
            }

            bool near = false;
            for (int dy = -1; dy <= 1; dy++)
            {
                for (int dx = -1; dx <= 1; dx++)
                {
                    int xx = x + dx, yy = y + dy;
                    near |= final[p] >= 0 && xx >= 0 && yy >= 0 && xx < Size && yy < Size && truth[(yy * Size) + xx] == final[p];
                }
            }

            neighbour += near ? 1 : 0;
            other += near ? 0 : 1;
        }
    }
}

// At every MRF domain edge (a labelled pixel with a 4-neighbour of another label): own = the noise model's label; pair = the
// larger amount of a noise-weighted least-squares fit x = α·r_A + β·r_B + one offset per edge block (A its label, B the most
// frequent other neighbour label; weights 1/σ²_e(x) of the noise model).
static void EdgeRelabel(int[] final, int[] labels, SpectralStack od, ReferenceSpectra refs, PhasePosteriors post, int split,
    int[] own, int[] pair)
{
    int n = od.PixelCount, m = od.EnergyCount, cols = split == m ? 3 : 4;
    ReadOnlySpan<float> data = od.Data.Span;
    for (int y = 0; y < Size; y++)
    {
        for (int x = 0; x < Size; x++)
        {
            int p = (y * Size) + x;
            if (final[p] < 0)
            {
                continue;
            }

            var count = new Dictionary<int, int>();
            foreach ((int dx, int dy) in new[] { (1, 0), (-1, 0), (0, 1), (0, -1) })
            {
                int xx = x + dx, yy = y + dy, q = (yy * Size) + xx;
                if (xx >= 0 && yy >= 0 && xx < Size && yy < Size && final[q] >= 0 && final[q] != final[p])
                {
                    count[final[q]] = count.GetValueOrDefault(final[q]) + 1;
                }
            }

            if (count.Count == 0)
            {
                continue;
            }

            own[p] = labels[p] >= 0 ? labels[p] : own[p];
            int a = final[p], b = count.OrderByDescending(c => c.Value).ThenBy(c => c.Key).First().Key;
            double[,] normal = new double[cols, cols + 1];
            bool finite = true;
            for (int e = 0; e < m && finite; e++)
            {
                double v = data[(e * n) + p];
                finite = double.IsFinite(v);
                double w = 1 / (post.NoiseVariance[e] * Math.Exp(Math.Clamp(v - post.BackgroundOd[e], -1, 10)));
                double[] c = cols == 3 ? [refs.Spectrum(a)[e], refs.Spectrum(b)[e], 1]
                    : [refs.Spectrum(a)[e], refs.Spectrum(b)[e], e < split ? 1 : 0, e < split ? 0 : 1];
                for (int i = 0; i < cols; i++)
                {
                    for (int j = 0; j < cols; j++)
                    {
                        normal[i, j] += w * c[i] * c[j];
                    }

                    normal[i, cols] += w * c[i] * v;
                }
            }

            if (finite)
            {
                double[] amount = Solve(normal, cols);
                pair[p] = amount[1] > amount[0] ? b : a;
            }
        }
    }
}

// Keys cubic convolution (a = −1/2) of every energy image at (x + X, y + Y), neighbours clamped to the image; NaN where the
// sample point is more than half a pixel outside (as EdgeFusion's bilinear resampling).
static void CubicShift(SpectralStack stack, double sx, double sy, Span<float> result)
{
    int w = stack.Width, h = stack.Height, n = w * h;
    ReadOnlySpan<float> data = stack.Data.Span;
    static double K(double t)
    {
        t = Math.Abs(t);
        return t <= 1 ? (1.5 * t * t * t) - (2.5 * t * t) + 1 : t < 2 ? (-0.5 * t * t * t) + (2.5 * t * t) - (4 * t) + 2 : 0;
    }

    for (int y = 0; y < h; y++)
    {
        for (int x = 0; x < w; x++)
        {
            double px = x + sx, py = y + sy;
            if (px < -0.5 || px > w - 0.5 || py < -0.5 || py > h - 0.5)
            {
                for (int e = 0; e < stack.EnergyCount; e++)
                {
                    result[(e * n) + (y * w) + x] = float.NaN;
                }

                continue;
            }

            double cx = Math.Clamp(px, 0, w - 1), cy = Math.Clamp(py, 0, h - 1);
            int x0 = (int)Math.Floor(cx), y0 = (int)Math.Floor(cy);
            for (int e = 0; e < stack.EnergyCount; e++)
            {
                double v = 0;
                for (int j = -1; j <= 2; j++)
                {
                    int yy = Math.Clamp(y0 + j, 0, h - 1);
                    double ky = K(cy - (y0 + j));
                    for (int i = -1; i <= 2; i++)
                    {
                        v += ky * K(cx - (x0 + i)) * data[(e * n) + (yy * w) + Math.Clamp(x0 + i, 0, w - 1)];
                    }
                }

                result[(e * n) + (y * w) + x] = (float)v;
            }
        }
    }
}

// Gauss–Jordan elimination with partial pivoting of the augmented system [A | y].
static double[] Solve(double[,] m, int size)
{
    for (int c = 0; c < size; c++)
    {
        int pivot = c;
        for (int r = c + 1; r < size; r++)
        {
            pivot = Math.Abs(m[r, c]) > Math.Abs(m[pivot, c]) ? r : pivot;
        }

        for (int j = 0; j <= size; j++)
        {
            (m[c, j], m[pivot, j]) = (m[pivot, j], m[c, j]);
        }

        for (int r = 0; r < size; r++)
        {
            if (r != c)
            {
                double f = m[r, c] / m[c, c];
                for (int j = 0; j <= size; j++)
                {
                    m[r, j] -= f * m[c, j];
                }
            }
        }
    }

    return [.. Enumerable.Range(0, size).Select(i => m[i, size] / m[i, i])];
}
