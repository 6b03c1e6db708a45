using System.Runtime.InteropServices;

namespace StxmPhase.Correlation;

/// <summary>
/// Asks Linux to back large, freshly allocated output arrays with transparent huge pages
/// (<c>madvise(MADV_HUGEPAGE)</c>) before the kernel first writes them.
/// </summary>
/// <remarks>
/// <para>
/// A fresh result at 1024² pixels is 42 MB of new memory. With 4 KiB pages, the first write to each page is a
/// minor fault (≈ 10,700 per 1024² call, together longer than the kernel itself on a VM, docs/performance.md); with 2 MiB
/// pages a 2 MiB block takes one. Linux's default policy (<c>/sys/kernel/mm/transparent_hugepage/enabled</c> =
/// <c>madvise</c> on Debian, Ubuntu and RHEL) gives huge pages only to memory that asks for them, and the .NET GC
/// does not ask.
/// </para>
/// <para>
/// The advice only changes the page size the kernel uses when it maps those addresses: contents, protection and
/// the GC's own commit/decommit are unaffected, so it is safe on GC-owned memory. Each array of at least a quarter
/// of a huge page is advised with its span rounded out to whole huge pages; the kernel still uses small pages where
/// part of a 2 MiB block is already mapped (an array header, a neighbouring object), so a 1024² result keeps about
/// 3,600 of its 10,700 faults. It does nothing off Linux, when the policy is <c>always</c> (already huge) or
/// <c>never</c>, or when <c>STXMPHASE_NO_HUGE_PAGES=1</c>; any failure is ignored (it is a hint).
/// </para>
/// </remarks>
internal static partial class HugePageAdvice
{
    private const int MadvHugePage = 14;

    /// <summary>Gets the huge page size to advise in, or 0 when advice is pointless or unavailable.</summary>
    internal static nuint PageSize { get; } = ProbePageSize();

    /// <summary>
    /// Advises huge pages for each of <paramref name="arrays"/> of at least a quarter of a huge page (smaller ones
    /// would mostly share their huge page with other memory).
    /// </summary>
    /// <param name="arrays">Large arrays about to be written for the first time.</param>
    internal static void Advise(params ReadOnlySpan<Array> arrays)
    {
        nuint page = PageSize;
        if (page == 0)
        {
            return;
        }

        foreach (Array array in arrays)
        {
            (nuint start, nuint length) = Span(array);
            if (length >= page / 4)
            {
                Advise(start, start + length, page);
            }
        }
    }

    private static unsafe (nuint Start, nuint Length) Span(Array array)
    {
        // Large-object-heap arrays are not moved (LOH compaction is off unless an application asks for it), and
        // advice on an address the array has left would only change the page size of other GC memory.
        void* data = System.Runtime.CompilerServices.Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
        return ((nuint)data, (nuint)Buffer.ByteLength(array));
    }

    private static void Advise(nuint start, nuint end, nuint page)
    {
        // Rounded out to whole huge pages: the GC places large arrays at arbitrary offsets in its regions, so the
        // pages at both ends are shared with neighbouring GC memory. A huge page is only used where its whole 2 MiB
        // is still unmapped and committed, so memory already in use keeps its small pages.
        nuint first = start & ~(page - 1);
        nuint last = (end + page - 1) & ~(page - 1);

        try
        {
            _ = Madvise(first, last - first, MadvHugePage); // a hint: ENOMEM/EINVAL change nothing
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // not a C library with madvise: nothing to advise
        }
    }

    private static nuint ProbePageSize()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("STXMPHASE_NO_HUGE_PAGES") is "1")
        {
            return 0;
        }

        try
        {
            string mode = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled");
            if (!mode.Contains("[madvise]", StringComparison.Ordinal))
            {
                return 0; // [always]: already huge; [never]: advice is ignored
            }

            string size = File.ReadAllText("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size").Trim();
            return nuint.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out nuint bytes)
                && bytes >= 4096 && (bytes & (bytes - 1)) == 0 ? bytes : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    [LibraryImport("libc.so.6", EntryPoint = "madvise")]
    private static partial int Madvise(nuint address, nuint length, int advice);
}
