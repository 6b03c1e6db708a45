using System.Globalization;
using StxmPhase.Spectra;
using TorchSharp;
using static TorchSharp.torch;

namespace StxmPhase.Gmvae;

// The data side of training: input checks, the stratified subsample, the seeded train/validation/test split and the
// normalised rows copied to the device.
public sealed partial class GmvaeTrainer
{
    /// <summary>Indices of the spectra used for training: all, or a seeded (stratified) subsample, ascending.</summary>
    internal static int[] SelectSubset(int count, int? max, ReadOnlySpan<int> labels, long seed)
    {
        if (max is not { } limit || count <= limit)
        {
            return Enumerable.Range(0, count).ToArray();
        }

        var random = new Random(DeriveSeed(seed, 0x5EED5));
        var result = new List<int>(limit);
        if (labels.IsEmpty)
        {
            int[] all = Enumerable.Range(0, count).ToArray();
            PartialShuffle(all, limit, random);
            result.AddRange(all.AsSpan(0, limit).ToArray());
        }
        else
        {
            var groups = new SortedDictionary<int, List<int>>();
            for (int i = 0; i < count; i++)
            {
                if (!groups.TryGetValue(labels[i], out var list))
                {
                    list = new List<int>();
                    groups[labels[i]] = list;
                }

                list.Add(i);
            }

            // Largest-remainder quotas proportional to group size; ties go to the lower label.
            var quotas = groups.Select(g => (Label: g.Key, Exact: (double)limit * g.Value.Count / count)).ToArray();
            int[] take = quotas.Select(q => (int)Math.Floor(q.Exact)).ToArray();
            int remaining = limit - take.Sum();
            foreach (int i in Enumerable.Range(0, quotas.Length).OrderByDescending(i => quotas[i].Exact - take[i]).ThenBy(i => quotas[i].Label)
                .Take(remaining))
            {
                take[i]++;
            }

            int g = 0;
            foreach (var group in groups.Values)
            {
                int[] members = group.ToArray();
                PartialShuffle(members, take[g], random);
                result.AddRange(members.AsSpan(0, take[g]).ToArray());
                g++;
            }
        }

        result.Sort();
        return result.ToArray();
    }

    /// <summary>Seeded train/validation/test split of <paramref name="selected"/>.</summary>
    internal static (int[] Train, int[] Validation, int[] Test) Split(int[] selected, GmvaeOptions options)
    {
        int n = selected.Length;
        int nValidation = (int)Math.Floor(options.ValidationFraction * n);
        int nTest = (int)Math.Floor(options.TestFraction * n);
        int[] order = (int[])selected.Clone();
        var random = new Random(DeriveSeed(options.Seed, 0x5B117));
        PartialShuffle(order, n, random);
        int[] validation = order[..nValidation];
        int[] test = order[nValidation..(nValidation + nTest)];
        int[] train = order[(nValidation + nTest)..];
        return (train, validation, test);
    }

    private static void PartialShuffle(int[] values, int take, Random random)
    {
        for (int i = 0; i < take && i < values.Length - 1; i++)
        {
            int j = random.Next(i, values.Length);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static int DeriveSeed(long seed, int salt) => unchecked((int)seed ^ (int)(seed >> 32) ^ (salt * 31));

    private static float[] Gather(ReadOnlySpan<float> data, int e, int[] rows, GmvaeNormalizer normalizer)
    {
        float[] result = new float[rows.Length * e];
        for (int r = 0; r < rows.Length; r++)
        {
            normalizer.Apply(data.Slice(rows[r] * e, e), result.AsSpan(r * e, e), 1);
        }

        return result;
    }

    private static Tensor ToDevice(float[] values, int rows, int e, Device device)
    {
        var t = torch.tensor(values, [rows, e]);
        if (device.type == DeviceType.CPU)
        {
            return t;
        }

        var moved = t.to(device);
        t.Dispose();
        return moved;
    }

    private static void ThrowIfNotFinite(ReadOnlySpan<float> data, int e, EnergyAxis energies, string paramName)
    {
        for (int i = 0; i < data.Length; i++)
        {
            if (!float.IsFinite(data[i]))
            {
                int row = i / e;
                int column = i % e;
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"Spectrum {row} has a non-finite value ({data[i]}) at energy index {column} ({energies[column]} eV); mask NaN/Inf pixels " +
                    $"before training."), paramName);
            }
        }
    }
}
