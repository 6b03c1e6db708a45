using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

public class SamplePreparationTests
{
    [Fact]
    public void Prepare_AutoMaskWithNaNAndInfPixels_KeepsThemSoCorrelationCountsThemInvalid()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 32, Height = 32, Seed = 5, Dose = 400 });
        SpectralStack od = data.OpticalDensity;
        float[] values = od.Data.ToArray();
        int[] broken = [0, 33, 500, 1023]; // background corners and a likely particle pixel
        int plane = od.PixelCount;
        values[(2 * plane) + broken[0]] = float.NaN;
        values[(5 * plane) + broken[1]] = float.PositiveInfinity;
        values[(0 * plane) + broken[2]] = float.NegativeInfinity;
        values[(12 * plane) + broken[3]] = float.NaN;
        var stack = new SpectralStack(od.Energies, od.Width, od.Height, values);

        PreparedInput prep = SamplePreparation.Prepare(new PhaseMappingInput(stack, "s"), new PhaseMappingOptions { Mask = MaskMode.Auto });
        PreparedInput clean = SamplePreparation.Prepare(new PhaseMappingInput(od, "s"), new PhaseMappingOptions { Mask = MaskMode.Auto });

        foreach (int p in broken)
        {
            Assert.True(prep.SampleMask.AsSpan()[p], $"pixel {p} with a non-finite value was left out of the mask (counted as background)");
        }

        // Every other pixel is classified as without the broken ones (their non-finite sums take no part in the threshold).
        for (int p = 0; p < plane; p++)
        {
            if (Array.IndexOf(broken, p) < 0)
            {
                Assert.Equal(clean.SampleMask.AsSpan()[p], prep.SampleMask.AsSpan()[p]);
            }
        }

        var workflow = new PhaseMappingWorkflow { Options = new PhaseMappingOptions { Mask = MaskMode.Auto, ResolveAmbiguities = false } };
        using PhaseMappingRun run = workflow.Run(new PhaseMappingInput(stack, "s"), data.References);
        Assert.Equal(broken.Length, run.Results[0].InvalidCount);
    }

    [Fact]
    public void Prepare_CallerMaskExcludesANaNPixel_ItStaysExcluded()
    {
        SyntheticDataset data = SyntheticStackGenerator.Generate(new SyntheticStackOptions { Width = 24, Height = 24, Seed = 5, Dose = 400 });
        SpectralStack od = data.OpticalDensity;
        float[] values = od.Data.ToArray();
        values[7] = float.NaN;
        var stack = new SpectralStack(od.Energies, od.Width, od.Height, values);
        bool[] include = Enumerable.Repeat(true, od.PixelCount).ToArray();
        include[7] = false;

        PreparedInput prep = SamplePreparation.Prepare(new PhaseMappingInput(stack, "s", PixelMask.FromArray(od.Width, od.Height, include)),
            new PhaseMappingOptions { Mask = MaskMode.Auto });

        Assert.False(prep.SampleMask.AsSpan()[7]);
    }
}
