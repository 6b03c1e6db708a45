using System.Globalization;

namespace StxmPhase.Spectra;

/// <summary>
/// The number of CPUs this process may use: the smallest of the CPUs in its affinity mask, its cgroup CPU quota
/// (v2 <c>cpu.max</c>, v1 <c>cpu.cfs_quota_us</c> / <c>cpu.cfs_period_us</c>, rounded up), <c>SLURM_CPUS_PER_TASK</c>
/// and <see cref="Environment.ProcessorCount"/>. Every StxmPhase stage that runs in parallel uses at most this many
/// threads unless told otherwise, so that a shared workstation or a cluster node is not oversubscribed.
/// </summary>
public static class ProcessorBudget
{
    private static readonly Lazy<int> s_available = new(Detect);

    /// <summary>Gets the number of CPUs this process may use (at least 1), detected once per process.</summary>
    public static int Available => s_available.Value;

    /// <summary>Resolves a thread count option: <see langword="null"/> = <see cref="Available"/>.</summary>
    /// <param name="threads">The requested number of threads, or <see langword="null"/> for the default.</param>
    /// <returns>The number of threads to use.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    public static int Resolve(int? threads)
    {
        if (threads is { } t && t < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(threads), t, "The thread count must be at least 1 when set.");
        }

        return threads ?? Available;
    }

    /// <summary>Combines the limits: the smallest of those that are known, at least 1.</summary>
    internal static int Combine(int processorCount, int? affinity, int? cgroupQuota, int? slurmCpusPerTask)
    {
        int n = Math.Max(1, processorCount);
        foreach (int? limit in new[] { affinity, cgroupQuota, slurmCpusPerTask })
        {
            if (limit is { } l && l >= 1)
            {
                n = Math.Min(n, l);
            }
        }

        return n;
    }

    /// <summary>Counts the CPUs of a Linux CPU list such as <c>0-3,8,10-11</c> (<c>Cpus_allowed_list</c>); null when unparsable.</summary>
    internal static int? ParseCpuList(string? list)
    {
        if (string.IsNullOrWhiteSpace(list))
        {
            return null;
        }

        int count = 0;
        foreach (string part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = part.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0)
            {
                if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    return null;
                }

                count++;
            }
            else if (int.TryParse(part.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int lo)
                && int.TryParse(part.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int hi) && hi >= lo)
            {
                count += hi - lo + 1;
            }
            else
            {
                return null;
            }
        }

        return count > 0 ? count : null;
    }

    /// <summary>CPUs of a cgroup v2 <c>cpu.max</c> line (<c>"quota period"</c> or <c>"max period"</c>), rounded up; null = no limit.</summary>
    internal static int? ParseCgroupV2CpuMax(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        string[] parts = line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || parts[0] == "max"
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long quota)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long period))
        {
            return null;
        }

        return QuotaToCpus(quota, period);
    }

    /// <summary>CPUs of a cgroup v1 CFS quota and period (quota −1 = no limit), rounded up; null = no limit.</summary>
    internal static int? QuotaToCpus(long quota, long period)
    {
        if (quota <= 0 || period <= 0)
        {
            return null;
        }

        return (int)Math.Min(int.MaxValue, (quota + period - 1) / period);
    }

    /// <summary>The value of <c>SLURM_CPUS_PER_TASK</c> when it is a positive integer; null otherwise.</summary>
    internal static int? ParseSlurm(string? value) =>
        int.TryParse(value?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1 ? n : null;

    private static int Detect()
    {
        int? affinity = null;
        int? quota = null;
        if (OperatingSystem.IsLinux())
        {
            affinity = ParseCpuList(ReadStatusField("/proc/self/status", "Cpus_allowed_list:"));
            quota = CgroupQuota();
        }

        return Combine(Environment.ProcessorCount, affinity, quota, ParseSlurm(Environment.GetEnvironmentVariable("SLURM_CPUS_PER_TASK")));
    }

    private static int? CgroupQuota()
    {
        // cgroup v2: the process's own group (from /proc/self/cgroup, "0::/path") and its ancestors; the tightest wins.
        int? best = null;
        string? self = TryRead("/proc/self/cgroup");
        string? v2Path = self?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
        if (v2Path is not null)
        {
            string dir = "/sys/fs/cgroup" + (v2Path == "/" ? string.Empty : v2Path);
            while (dir.Length >= "/sys/fs/cgroup".Length)
            {
                best = Min(best, ParseCgroupV2CpuMax(TryRead(Path.Combine(dir, "cpu.max"))));
                if (dir == "/sys/fs/cgroup")
                {
                    break;
                }

                dir = Path.GetDirectoryName(dir) ?? "/";
            }
        }

        // cgroup v1 (mounted at the usual places).
        foreach (string root in new[] { "/sys/fs/cgroup/cpu,cpuacct", "/sys/fs/cgroup/cpu" })
        {
            if (long.TryParse(TryRead(Path.Combine(root, "cpu.cfs_quota_us"))?.Trim(), NumberStyles.AllowLeadingSign,
                    CultureInfo.InvariantCulture, out long q)
                && long.TryParse(TryRead(Path.Combine(root, "cpu.cfs_period_us"))?.Trim(), NumberStyles.None,
                    CultureInfo.InvariantCulture, out long p))
            {
                best = Min(best, QuotaToCpus(q, p));
                break;
            }
        }

        return best;
    }

    private static int? Min(int? a, int? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static string? ReadStatusField(string path, string field) =>
        TryRead(path)?.Split('\n').FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))?[field.Length..].Trim();

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
