using System.Globalization;
using Microsoft.Extensions.Logging;
using StxmPhase.Spectra;

namespace StxmPhase;

/// <summary>Fused multi-edge stacks: one energy calibration per edge block (each edge was calibrated on its own at the beamline).</summary>
internal static partial class EnergyCalibrationStage
{
    /// <summary>The fewest energies of a stack (or edge block) whose offset mode Auto estimates: on the synthetic O K block
    /// (3 energies, dose 400) the estimate was −0.59 to −0.62 eV whether the true offset was 0 or −0.25 eV (phase and offset
    /// trade off), and it passed the significance tests; alone at dose 20000 it applied −0.65 eV and lost 23–29 points.</summary>
    private const int MinimumEnergiesForOffset = 5;

    /// <summary>
    /// The blocks every input shares (same counts), or <see langword="null"/> when an input has none or they differ: then one
    /// calibration covers the whole axis.
    /// </summary>
    public static SpectralBlocks? SharedBlocks(IReadOnlyList<PhaseMappingInput> inputs)
    {
        SpectralBlocks? first = inputs.Count > 0 ? inputs[0].Blocks : null;
        return first is { Count: > 1 } && inputs.All(i => i.Blocks is { } b && b.Counts.SequenceEqual(first.Counts)) ? first : null;
    }

    /// <summary>
    /// <see cref="Calibrate"/> block by block: each edge's offset (and broadening, when fitted) from its own energies, the
    /// references read at E + ΔE<sub>b</sub> within block b; in mode Auto a block of fewer than 5 energies gets no offset (as a
    /// stack of so few does). A
    /// single offset over a fused axis would average two monochromator errors (on the synthetic field with +0.10 / −0.25 eV
    /// it estimated −0.23 eV for both). The report's <see cref="EnergyCalibrationReport.AppliedOffsetEv"/>, estimate and
    /// broadening are the first block's;
    /// <see cref="EnergyCalibrationReport.BlockOffsetsEv"/> holds every block's.
    /// </summary>
    public static EnergyCalibrationReport CalibrateBlocks(
        SpectralStack[] stacks, PixelMask?[] samples, ReferenceSpectra references, SpectralBlocks blocks, PhaseMappingOptions options,
        ILogger logger, CancellationToken cancellationToken, NoiseContext? noise = null)
    {
        var parts = new EnergyCalibrationReport[blocks.Count];
        for (int b = 0; b < blocks.Count; b++)
        {
            SpectralStack[] sliced = [.. stacks.Select(s => Slice(s, blocks, b))];
            // A caller's noise options with per-energy values for the fused axis are cut to this edge's energies.
            PhaseMappingOptions own = options.NoiseModel is { } model ? options with { NoiseModel = model.ForBlock(blocks, b) } : options;
            parts[b] = Calibrate(sliced, samples, references, own, logger, cancellationToken, noise?.Block(blocks, b));
        }

        EnergyAxis axis = stacks[0].Energies;
        int energies = axis.Count, phases = references.PhaseCount;
        double[] values = new double[phases * energies];
        for (int b = 0; b < blocks.Count; b++)
        {
            for (int k = 0; k < phases; k++)
            {
                parts[b].References.Spectrum(k).CopyTo(values.AsSpan((k * energies) + blocks.Starts[b], blocks.Counts[b]));
            }
        }

        string message = string.Join(" ", parts.Select((p, b) => string.Create(CultureInfo.InvariantCulture, $"{blocks.Names[b]}: {p.Message}")));
        return new EnergyCalibrationReport(parts[0].Mode, parts[0].AppliedOffsetEv, parts[0].Estimate,
            new ReferenceSpectra(axis, references.PhaseNames, values), message)
        {
            ReferenceBroadeningEv = parts[0].ReferenceBroadeningEv,
            BlockOffsetsEv = [.. parts.Select(p => p.AppliedOffsetEv)],
        };
    }

    private static SpectralStack Slice(SpectralStack stack, SpectralBlocks blocks, int block)
    {
        int n = stack.PixelCount;
        return new SpectralStack(blocks.BlockEnergies(stack.Energies, block), stack.Width, stack.Height,
            stack.Data.Slice(blocks.Starts[block] * n, blocks.Counts[block] * n), stack.Quantity, stack.Metadata);
    }
}
