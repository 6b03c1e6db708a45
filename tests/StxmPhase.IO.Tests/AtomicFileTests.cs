using StxmPhase.Shared;

namespace StxmPhase.IO.Tests;

/// <summary>The shared atomic writer (src/Shared/AtomicFile.cs, IO's compiled copy).</summary>

public class AtomicFileTests
{
    [Fact]
    public void Writer_DisposedWithoutCommit_LeavesTheTargetAndNoTemporaryFile()
    {
        string dir = TestFiles.NewTempDir();
        string target = Path.Combine(dir, "labels.npy");
        File.WriteAllBytes(target, [1, 2, 3]);

        using (AtomicFileWriter writer = AtomicFile.Create(target))
        {
            writer.Stream.Write(new byte[1000]);
        }

        Assert.Equal([1, 2, 3], File.ReadAllBytes(target));
        Assert.Equal([target], Directory.GetFiles(dir));
    }

    [Fact]
    public void Writer_Committed_ReplacesTheTargetAndLeavesNoTemporaryFile()
    {
        string dir = TestFiles.NewTempDir();
        string target = Path.Combine(dir, "labels.npy");
        File.WriteAllBytes(target, [1, 2, 3]);

        using (AtomicFileWriter writer = AtomicFile.Create(target))
        {
            writer.Stream.Write([9, 8]);
            writer.Commit();
            Assert.Throws<ObjectDisposedException>(writer.Commit);
        }

        Assert.Equal([9, 8], File.ReadAllBytes(target));
        Assert.Equal([target], Directory.GetFiles(dir));
    }

    [Fact]
    public void Write_CallbackThrows_LeavesTheTargetAndNoTemporaryFile()
    {
        string dir = TestFiles.NewTempDir();
        string target = Path.Combine(dir, "summary.json");
        File.WriteAllText(target, "old");

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, s =>
        {
            s.Write(new byte[100]);
            throw new InvalidOperationException("disk full");
        }));

        Assert.Equal("old", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(dir));
    }

    [Fact]
    public void NpyWrite_LargeSpan_StreamsWithoutCopyAndRoundTrips()
    {
        string dir = TestFiles.NewTempDir();
        string path = Path.Combine(dir, "big.npy");
        float[] values = Enumerable.Range(0, 3 * 512 * 700).Select(i => i * 0.25f).ToArray();

        long before = GC.GetAllocatedBytesForCurrentThread();
        NpyFile.Write(path, values, 3, 512, 700);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < values.Length * sizeof(float) / 4, $"writing {values.Length * 4} bytes allocated {allocated} bytes");
        NpyArray read = NpyFile.Read(path);
        Assert.Equal([3, 512, 700], read.Shape);
        Assert.Equal(values, read.ToSingleArray());
        Assert.Equal([path], Directory.GetFiles(dir));
    }

    [Fact]
    public void Writer_Open_TemporaryFileSitsHiddenInTheTargetFolder()
    {
        string dir = TestFiles.NewTempDir();
        string target = Path.Combine(dir, "map.png");
        using AtomicFileWriter writer = AtomicFile.Create(target);
        Assert.Equal(dir, Path.GetDirectoryName(writer.TemporaryPath));
        Assert.StartsWith(".map.png.", Path.GetFileName(writer.TemporaryPath), StringComparison.Ordinal);
        Assert.EndsWith(".tmp", writer.TemporaryPath, StringComparison.Ordinal);
        Assert.True(File.Exists(writer.TemporaryPath));
        Assert.False(File.Exists(target));
    }

    [Fact]
    public void WriteBytes_MissingFolder_CreatesItAndWritesTheBytes()
    {
        string dir = Path.Combine(TestFiles.NewTempDir(), "a", "b");
        string target = Path.Combine(dir, "model.ckpt");
        AtomicFile.WriteBytes(target, [4, 5, 6]);
        Assert.Equal([4, 5, 6], File.ReadAllBytes(target));
        Assert.Equal([target], Directory.GetFiles(dir));
    }

    [Fact]
    public void WriteText_String_WritesUtf8WithoutByteOrderMarkAndReplaces()
    {
        string dir = TestFiles.NewTempDir();
        string target = Path.Combine(dir, "summary.json");
        File.WriteAllText(target, "an older and longer content");
        AtomicFile.WriteText(target, "{\"phase\": \"α\"}\n");
        Assert.Equal("{\"phase\": \"α\"}\n"u8.ToArray(), File.ReadAllBytes(target));
        Assert.Equal([target], Directory.GetFiles(dir));
    }

    [Fact]
    public void WriteText_Callback_UsesLineFeedLineEnds()
    {
        string dir = TestFiles.NewTempDir();
        string target = Path.Combine(dir, "table.csv");
        AtomicFile.WriteText(target, w =>
        {
            w.WriteLine("a,b");
            w.WriteLine("1,2");
        });
        Assert.Equal("a,b\n1,2\n", File.ReadAllText(target));
    }
}
