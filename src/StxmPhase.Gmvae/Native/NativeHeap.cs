using System.Runtime.InteropServices;

namespace StxmPhase.Gmvae;

/// <content>Returning memory that libtorch has freed to the operating system.</content>
public static partial class TorchNative
{
    private static int s_trimUnavailable;

    /// <summary>
    /// Asks the C library to return heap memory that libtorch has already freed to the operating system
    /// (glibc's <c>malloc_trim</c>). libtorch's CPU tensors live on the C heap, and glibc keeps freed blocks of the
    /// sizes an encoder pass uses (megabytes) in its arenas, so after training or encoding many spectra the process
    /// holds tens of MB it no longer uses; the workflow calls this after its encoding stage.
    /// </summary>
    /// <returns>
    /// <see langword="true"/> when memory was returned; <see langword="false"/> when there was none to return, or on
    /// platforms without glibc (Windows, macOS, musl-based Linux), where the call does nothing.
    /// </returns>
    /// <remarks>Thread-safe and cheap (it walks the allocator's free lists); it never frees memory in use.</remarks>
    public static bool ReleaseFreedNativeMemory()
    {
        if (!OperatingSystem.IsLinux() || Volatile.Read(ref s_trimUnavailable) != 0)
        {
            return false;
        }

        try
        {
            return MallocTrim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref s_trimUnavailable, 1); // not glibc: remember and do nothing from now on
            return false;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
