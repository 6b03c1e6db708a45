using StxmPhase.Spectra;
using StxmPhase.Synthetic;

namespace StxmPhase.Tests;

/// <summary>A fused two-edge test field whose edges have their own calibration errors: V L read 0.4 eV low, O K exact
/// (64², seed 6, doses 1500 and 400), so one offset over the fused axis cannot fit both edges.</summary>
internal static class VanadiumOffsetField
{
    /// <summary>Generates the field and fuses its two edge stacks ("V L", "O K").</summary>
    public static (MultiEdgeDataset Field, FusedEdgeStack Fused) Generate()
    {
        MultiEdgeDataset field = MultiEdgeGenerator.Generate(new MultiEdgeOptions
        {
            Edges =
            [
                new() { Width = 64, Height = 64, Seed = 6, Energies = MultiEdgeGenerator.VanadiumLEnergies, Dose = 1500, EnergyOffsetEv = 0.4 },
                new() { Width = 64, Height = 64, Seed = 6, Energies = MultiEdgeGenerator.OxygenKEnergies, Dose = 400 },
            ],
        });
        return (field, EdgeFusion.Fuse([field.Edges[0].OpticalDensity, field.Edges[1].OpticalDensity], ["V L", "O K"]));
    }
}
