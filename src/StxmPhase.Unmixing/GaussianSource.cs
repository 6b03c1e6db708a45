namespace StxmPhase.Unmixing;

/// <summary>
/// Seeded standard-normal numbers (Marsaglia polar method over <see cref="Random"/> with a fixed seed, whose sequence is
/// stable across .NET versions). Deterministic for a given seed; not the same stream as NumPy.
/// </summary>
internal sealed class GaussianSource
{
#pragma warning disable CA5394 // Not security relevant: reproducible numerical sketches.
    private readonly Random _random;
    private double? _spare;

    public GaussianSource(int seed) => _random = new Random(seed);

    public Random Uniform => _random;

    public double Next()
    {
        if (_spare is { } s)
        {
            _spare = null;
            return s;
        }

        double u, v, r;
        do
        {
            u = (2 * _random.NextDouble()) - 1;
            v = (2 * _random.NextDouble()) - 1;
            r = (u * u) + (v * v);
        }
        while (r >= 1 || r == 0);

        double f = Math.Sqrt(-2 * Math.Log(r) / r);
        _spare = v * f;
        return u * f;
    }

    public double NextUniform() => _random.NextDouble();

    public int NextInt(int maxExclusive) => _random.Next(maxExclusive);
#pragma warning restore CA5394

    public void Fill(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = Next();
        }
    }
}
