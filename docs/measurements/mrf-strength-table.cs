// Tabulates `stxmphase evaluate --synthetic ... --mrf-strength auto|VALUE --report FILE` reports: the default pipeline's
// per-seed accuracy (every particle pixel, interior, boundary) and Potts β, paired per seed against the auto (estimated β)
// reports, with a 95 % Student-t interval; plus the thin-domain lines (pooled over the seeds of each report).
// Usage: dotnet run docs/measurements/mrf-strength-table.cs -- REPORT.md ...   (each report's strength and seeds are read
// from its own text, so reports of other seed ranges of the same strength are merged).
using System.Globalization;
using System.Text.RegularExpressions;

var c = CultureInfo.InvariantCulture;
// (strength, dose, seed) -> (all, interior, boundary, beta); (strength, dose) -> thin-domain correct counts and totals
var seedRows = new Dictionary<(string S, string Dose, int Seed), double[]>();
var thin = new Dictionary<(string S, string Dose), double[]>();
foreach (string path in args)
{
    string text = File.ReadAllText(path);
    Match seeds = Regex.Match(text, @"Each dose is run with (\d+) data seeds \((\d+)…");
    int first = int.Parse(seeds.Groups[2].Value, c);
    foreach (string section in Regex.Split(text, @"\n## ").Skip(1))
    {
        Match dose = Regex.Match(section, @"^Dose (\S+) ");
        if (!dose.Success)
        {
            continue;
        }

        Match m = Regex.Match(section, @"per seed ([\d., ]+) %, interior ([\d., ]+) %, boundary ([\d., ]+) %; Potts β per seed ([\d., ]+) \((\S+)\)");
        double[][] v = Enumerable.Range(1, 4)
            .Select(g => m.Groups[g].Value.Split(',').Select(x => double.Parse(x.Trim(), c)).ToArray()).ToArray();
        string strength = m.Groups[5].Value;
        for (int k = 0; k < v[0].Length; k++)
        {
            seedRows[(strength, dose.Groups[1].Value, first + k)] = [v[0][k], v[1][k], v[2][k], v[3][k]];
        }

        Match t = Regex.Match(section, @"all seeds: (\d+) / (\d+) / (\d+)\): the default labels ([\d.]+) / ([\d.]+) / ([\d.]+) %");
        double n2 = double.Parse(t.Groups[2].Value, c), n3 = double.Parse(t.Groups[3].Value, c);
        double[] acc = thin.TryGetValue((strength, dose.Groups[1].Value), out double[]? a) ? a : new double[4];
        acc[0] += Math.Round(n2 * double.Parse(t.Groups[5].Value, c) / 100);
        acc[1] += n2;
        acc[2] += Math.Round(n3 * double.Parse(t.Groups[6].Value, c) / 100);
        acc[3] += n3;
        thin[(strength, dose.Groups[1].Value)] = acc;
    }
}

string[] doses = seedRows.Keys.Select(k => k.Dose).Distinct().OrderBy(d => double.Parse(d, c)).ToArray();
string[] strengths = seedRows.Keys.Select(k => k.S).Distinct().OrderBy(s => s == "auto" ? -1 : double.Parse(s, c)).ToArray();
Console.WriteLine("| dose | β | all px | Δ all px vs auto (95 % t) | seeds +/=/− | Δ interior | Δ boundary | 2-px thin | 3-px thin |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
foreach (string dose in doses.Append("all"))
{
    foreach (string s in strengths)
    {
        var keys = seedRows.Keys.Where(k => k.S == s && (dose == "all" || k.Dose == dose)).OrderBy(k => k.Dose).ThenBy(k => k.Seed).ToArray();
        double[][] rows = keys.Select(k => seedRows[k]).ToArray();
        double[][] auto = keys.Select(k => seedRows[("auto", k.Dose, k.Seed)]).ToArray();
        string Diff(int col)
        {
            double[] d = rows.Zip(auto, (r, a) => r[col] - a[col]).ToArray();
            double mean = d.Average();
            double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
            double half = TCritical(d.Length - 1) * sd / Math.Sqrt(d.Length);
            string star = Math.Abs(mean) > half ? " *" : string.Empty;
            return string.Create(c, $"{mean:+0.00;−0.00;0.00} ({mean - half:+0.00;−0.00;0.00} … {mean + half:+0.00;−0.00;0.00}){star}");
        }

        string betas = string.Create(c, $"{rows.Average(r => r[3]):F2} ({rows.Min(r => r[3]):F1}–{rows.Max(r => r[3]):F1})");
        int better = rows.Zip(auto).Count(p => p.First[0] > p.Second[0]);
        int equal = rows.Zip(auto).Count(p => p.First[0] == p.Second[0]);
        string thinText = "";
        if (dose != "all")
        {
            double[] t = thin[(s, dose)];
            thinText = string.Create(c, $"| {100 * t[0] / t[1]:F1} % | {100 * t[2] / t[3]:F1} % |");
        }
        else
        {
            double[] t = doses.Select(d => thin[(s, d)]).Aggregate(new double[4], (x, y) => x.Zip(y, (p, q) => p + q).ToArray());
            thinText = string.Create(c, $"| {100 * t[0] / t[1]:F1} % | {100 * t[2] / t[3]:F1} % |");
        }

        Console.WriteLine(string.Create(c, $"| {dose} | {(s == "auto" ? "auto: " + betas : s)} | {rows.Average(r => r[0]):F2} % | ")
            + (s == "auto" ? "— | — | — | — " : $"{Diff(0)} | {better} / {equal} / {rows.Length - better - equal} | {Diff(1)} | {Diff(2)} ")
            + thinText);
    }
}

// Two-sided 95 % Student-t critical values.
static double TCritical(int df) => df switch
{
    1 => 12.706, 2 => 4.303, 3 => 3.182, 4 => 2.776, 5 => 2.571, 6 => 2.447, 7 => 2.365, 8 => 2.306, 9 => 2.262, 10 => 2.228,
    < 20 => 2.1, < 30 => 2.045, _ => 2.0,
};
