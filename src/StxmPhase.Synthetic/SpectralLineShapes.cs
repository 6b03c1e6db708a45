namespace StxmPhase.Synthetic;

/// <summary>Line shapes of the reference-spectrum model (all peak-normalised: the maximum of each peak is 1).</summary>
internal static class SpectralLineShapes
{
    private const double FourLn2 = 2.772588722239781; // 4 ln 2

    /// <summary>
    /// Peak-normalised pseudo-Voigt: η·L + (1 − η)·G with L = 1 / (1 + 4u²), G = exp(−4 ln2 · u²), u = (E − c) / w,
    /// where w is the full width at half maximum of both components.
    /// </summary>
    public static double PseudoVoigt(double energyEv, double centerEv, double fwhmEv, double lorentzFraction)
    {
        double u = (energyEv - centerEv) / fwhmEv;
        double u2 = u * u;
        double gauss = Math.Exp(-FourLn2 * u2);
        double lorentz = 1.0 / (1.0 + (4.0 * u2));
        return (lorentzFraction * lorentz) + ((1.0 - lorentzFraction) * gauss);
    }

    /// <summary>Arctangent edge step rising from 0 to 1: 1/2 + atan((E − c) / w) / π.</summary>
    public static double ArctanStep(double energyEv, double centerEv, double widthEv) =>
        0.5 + (Math.Atan((energyEv - centerEv) / widthEv) / Math.PI);
}
