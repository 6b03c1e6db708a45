using System.Globalization;
using System.Runtime.InteropServices;

namespace StxmPhase.Gmvae.Tests;

[Collection("Torch")] // no libtorch test allocates native memory while this one measures
public class NativeHeapTests
{
    private static long ResidentBytes() =>
        long.Parse(File.ReadAllText("/proc/self/statm").Split(' ')[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;

    [Fact]
    public void ReleaseFreedNativeMemory_AfterFreeingHeapBlocks_ReturnsThemToTheSystem()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(TorchNative.ReleaseFreedNativeMemory());
            return;
        }

        // 800 blocks of 64 KiB (below glibc's mmap threshold, so they come from the heap), each touched; the last one
        // stays allocated so that free() cannot shrink the heap from the top by itself.
        const int Blocks = 800, Size = 64 * 1024;
        nint[] blocks = new nint[Blocks];
        for (int i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Size);
            for (int offset = 0; offset < Size; offset += 4096)
            {
                Marshal.WriteByte(blocks[i], offset, 1);
            }
        }

        for (int i = 0; i < Blocks - 1; i++)
        {
            Marshal.FreeHGlobal(blocks[i]);
        }

        long before = ResidentBytes();
        bool released = TorchNative.ReleaseFreedNativeMemory();
        long after = ResidentBytes();
        Marshal.FreeHGlobal(blocks[^1]);

        Assert.True(released);
        Assert.True(before - after > 30L * 1024 * 1024, $"resident memory {before / 1048576} MiB → {after / 1048576} MiB");
        TorchNative.ReleaseFreedNativeMemory(); // a second call is harmless
    }
}
