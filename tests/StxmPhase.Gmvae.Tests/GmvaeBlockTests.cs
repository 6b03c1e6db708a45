using System.Text;
using StxmPhase.Spectra;

namespace StxmPhase.Gmvae.Tests;

/// <summary>A GMVAE trained on a fused multi-edge input: per-block normalisation, saved with the checkpoint.</summary>
[Collection("Torch")]
public sealed class GmvaeBlockTests
{
    private static readonly SpectralBlocks s_blocks = new(["V L", "O K"], [8, 5], [0.7, 0.3]);

    private static string TempPath() => Path.Combine(Path.GetTempPath(), $"gmvae-blocks-{Guid.NewGuid():N}.ckpt");

    [Theory]
    [InlineData(GmvaeNormalization.GlobalScale)]
    [InlineData(GmvaeNormalization.PerEnergy)]
    [InlineData(GmvaeNormalization.PerSpectrum)]
    public void Normalizer_WithBlocks_OneBlockScaledTenfold_GivesTheSameNetworkInput(GmvaeNormalization mode)
    {
        (float[] x, _) = TestData.Clusters(200, 3);
        float[] y = [.. x.Select((v, i) => i % TestData.Energies >= 8 ? v * 10 : v)];
        int[] rows = [.. Enumerable.Range(0, 200)];
        float[] tx = new float[x.Length], ty = new float[y.Length];

        GmvaeNormalizer.Fit(mode, x, TestData.Energies, rows, s_blocks).Apply(x, tx, 200);
        GmvaeNormalizer.Fit(mode, y, TestData.Energies, rows, s_blocks).Apply(y, ty, 200);
        float[] plain = new float[x.Length];
        GmvaeNormalizer.Fit(mode, y, TestData.Energies, rows).Apply(y, plain, 200);

        for (int i = 0; i < tx.Length; i++)
        {
            Assert.Equal(tx[i], ty[i], 2e-5f);
        }

        if (mode != GmvaeNormalization.PerEnergy)
        {
            // Without blocks the scaled edge dominates (a whole-spectrum normalisation cannot undo a per-block factor).
            Assert.NotEqual(tx, plain);
        }
    }

    [Fact]
    public void SaveLoad_WithBlocks_KeepsTheBlocksAndGivesBitIdenticalEncodings()
    {
        (float[] spectra, int[] labels) = TestData.Clusters(600, 5);
        using GmvaeModel model = new GmvaeTrainer(TestData.Small(epochs: 2)).Fit(spectra, 600, TestData.Axis, s_blocks, labels, null, default);
        string path = TempPath();
        try
        {
            model.Save(path);
            byte[] bytes = File.ReadAllBytes(path);
            using GmvaeModel loaded = GmvaeModel.Load(path, TestData.Axis);

            Assert.Equal(2, bytes[8]); // the blocks' format version: an older reader refuses the file rather than ignore the blocks
            BlockNormalization saved = model.BlockNormalization!, read = loaded.BlockNormalization!;
            Assert.Equal(saved.Blocks.Names, read.Blocks.Names);
            Assert.Equal(saved.Blocks.Counts, read.Blocks.Counts);
            Assert.Equal(saved.Blocks.Weights, read.Blocks.Weights);
            Assert.Equal(BlockWeightSource.User, read.Blocks.WeightSource);
            Assert.Equal(BlockScaling.GlobalScale, read.Scaling);
            Assert.Equal(saved.Scales, read.Scales);
            float[] a = new float[600 * 3], b = new float[600 * 3];
            model.Encode(spectra, 600, a);
            loaded.Encode(spectra, 600, b);
            Assert.Equal(a, b);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Save_WithoutBlocks_KeepsFormatVersionOneWithoutABlocksField()
    {
        (float[] spectra, int[] labels) = TestData.Clusters(300, 6);
        using GmvaeModel model = new GmvaeTrainer(TestData.Small(epochs: 1)).Fit(spectra, 300, TestData.Axis, labels);
        string path = TempPath();
        try
        {
            model.Save(path);
            byte[] bytes = File.ReadAllBytes(path);
            using GmvaeModel loaded = GmvaeModel.Load(path);

            Assert.Equal(1, bytes[8]);
            Assert.DoesNotContain("\"Blocks\"", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
            Assert.Null(loaded.BlockNormalization);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Fit_BlocksThatDoNotCoverTheEnergies_ThrowsIncompatibleEnergies()
    {
        (float[] spectra, int[] labels) = TestData.Clusters(100, 7);
        var blocks = new SpectralBlocks(["a", "b"], [8, 4]);

        Assert.Throws<IncompatibleEnergiesException>(
            () => new GmvaeTrainer(TestData.Small(epochs: 1)).Fit(spectra, 100, TestData.Axis, blocks, labels, null, default));
    }
}
