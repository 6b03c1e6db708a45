using System.Runtime.InteropServices;
using StxmPhase.Spectra;
using TorchSharp;

namespace StxmPhase.Gmvae;

/// <content>libtorch's thread pools and OpenMP wait policy.</content>
public static partial class TorchNative
{
    /// <summary>The OpenMP wait policy StxmPhase asks for when the environment names none.</summary>
    internal const string DefaultWaitPolicy = "PASSIVE";

    /// <summary>Gets the OpenMP wait policy libtorch was loaded with (<c>OMP_WAIT_POLICY</c>, as the user set it or
    /// <c>PASSIVE</c>, which StxmPhase sets before loading libtorch when it is unset), or <see langword="null"/> when
    /// the native environment could not be changed.</summary>
    public static string? OpenMpWaitPolicy { get; private set; }

    /// <summary>
    /// Sets libtorch's intra-op thread count (<c>torch.set_num_threads</c>, process-wide), loading libtorch first.
    /// </summary>
    /// <param name="threads">The number of threads, or <see langword="null"/> for
    /// <see cref="ProcessorBudget.Available"/>, the CPUs this process may use.</param>
    /// <returns>The thread count now in effect.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threads"/> is less than 1.</exception>
    /// <exception cref="NativeLibraryLoadException">libtorch cannot be loaded.</exception>
    public static int SetThreads(int? threads)
    {
        int n = ProcessorBudget.Resolve(threads);
        EnsureLoaded();
        if (torch.get_num_threads() != n)
        {
            torch.set_num_threads(n);
        }

        return torch.get_num_threads();
    }

    /// <summary>
    /// Before libtorch (and its OpenMP runtime) is loaded: a passive wait policy unless the user chose one, so that
    /// idle OpenMP workers sleep instead of spinning on CPUs that other processes need (on a 2-core machine beside two
    /// CPU-bound processes, spinning made training 7× slower).
    /// </summary>
    private static void ApplyOpenMpEnvironment()
    {
        string? policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        if (!string.IsNullOrEmpty(policy))
        {
            OpenMpWaitPolicy = policy;
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", DefaultWaitPolicy);
            OpenMpWaitPolicy = DefaultWaitPolicy;
            return;
        }

        try
        {
            // The runtime keeps its own copy of the environment on Unix; OpenMP reads the C library's.
            if (SetEnv("OMP_WAIT_POLICY", DefaultWaitPolicy, 0) == 0)
            {
                Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", DefaultWaitPolicy);
                OpenMpWaitPolicy = DefaultWaitPolicy;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            OpenMpWaitPolicy = null; // no libc to set it in: leave OpenMP's default
        }
    }

    /// <summary>After libtorch is initialised: intra-op threads = the CPU budget, one inter-op thread (the model runs
    /// its operators one after another, so a larger inter-op pool only adds idle threads).</summary>
    private static void ApplyThreadDefaults()
    {
        int n = ProcessorBudget.Available;
        if (torch.get_num_threads() != n)
        {
            torch.set_num_threads(n);
        }

        try
        {
            if (torch.get_num_interop_threads() != 1)
            {
                torch.set_num_interop_threads(1);
            }
        }
        catch (ExternalException)
        {
            // The inter-op pool was already started by the application's own TorchSharp code: leave it.
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
