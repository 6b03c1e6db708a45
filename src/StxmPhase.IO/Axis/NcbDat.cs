namespace StxmPhase.IO;

/// <summary>The parsed aXis2000 <c>.dat</c> companion of an <c>.ncb</c> stack.</summary>
internal sealed class NcbDat
{
    public int Columns { get; init; }

    public int Rows { get; init; }

    public double Scale { get; init; }

    public double XStart { get; init; }

    public double XStop { get; init; }

    public double YStart { get; init; }

    public double YStop { get; init; }

    public required double[] Energies { get; init; }

    public double? DwellMs { get; init; }

    public bool IsFloat => Scale < 0;

    public int ElementSize => IsFloat ? 4 : 2;

    public static bool LooksLikeDat(ReadOnlySpan<byte> header)
    {
        string text = System.Text.Encoding.Latin1.GetString(header);
        string[] lines = text.Split('\n');
        if (lines.Length < 5)
        {
            return false;
        }

        string[] first = Tokens(lines[0]);
        string[] fourth = Tokens(lines[3]);
        return first.Length == 3 && first.All(f => TextLines.TryNumber(f, out _)) && Tokens(lines[1]).Length == 2
            && fourth.Length == 1
            && int.TryParse(fourth[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);
    }

    public static NcbDat Parse(string[] lines, string? file)
    {
        int li = 0;
        string[] Next(string field, int count)
        {
            while (li < lines.Length && string.IsNullOrWhiteSpace(lines[li]))
            {
                li++;
            }

            if (li >= lines.Length)
            {
                throw IoError.Invalid(file, field, li + 1, "the file ends before this field.");
            }

            string[] t = Tokens(lines[li]);
            li++;
            if (t.Length < count)
            {
                throw IoError.Invalid(file, field, li, IoError.Inv($"expected {count} values; got {t.Length}."));
            }

            return t;
        }

        double Num(string s, string field)
        {
            if (!TextLines.TryNumber(s, out double v) || !double.IsFinite(v))
            {
                throw IoError.Invalid(file, field, li, $"'{s}' is not a finite number.");
            }

            return v;
        }

        int Int(string s, string field, int max)
        {
            double v = Num(s, field);
            if (v != Math.Floor(v) || v < 1 || v > max)
            {
                throw IoError.Invalid(file, field, li, IoError.Inv($"'{s}' is not an integer in [1, {max}]."));
            }

            return (int)v;
        }

        string[] l1 = Next("n_cols n_rows scale", 3);
        int cols = Int(l1[0], "n_cols", int.MaxValue);
        int rows = Int(l1[1], "n_rows", int.MaxValue);
        double scale = Num(l1[2], "scale");
        string[] l2 = Next("x_start x_stop", 2);
        string[] l3 = Next("y_start y_stop", 2);
        int nev = Int(Next("n_ev", 1)[0], "n_ev", Math.Max(1, lines.Length));
        double[] energies = new double[nev];
        for (int i = 0; i < nev; i++)
        {
            energies[i] = Num(Next("energy", 1)[0], "energy");
        }

        double? dwell = null;
        var dwells = new List<double>();
        while (li < lines.Length && dwells.Count < nev)
        {
            string[] t = Tokens(lines[li++]);
            if (t.Length >= 3 && TextLines.TryNumber(t[2], out double d) && double.IsFinite(d))
            {
                dwells.Add(d);
            }
        }

        if (dwells.Count > 0)
        {
            dwell = dwells.Average();
        }

        return new NcbDat
        {
            Columns = cols,
            Rows = rows,
            Scale = scale,
            XStart = Num(l2[0], "x_start"),
            XStop = Num(l2[1], "x_stop"),
            YStart = Num(l3[0], "y_start"),
            YStop = Num(l3[1], "y_stop"),
            Energies = energies,
            DwellMs = dwell,
        };
    }

    private static string[] Tokens(string line) =>
        line.Split([' ', '\t', '\r', ','], StringSplitOptions.RemoveEmptyEntries);
}
