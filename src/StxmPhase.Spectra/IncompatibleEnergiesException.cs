namespace StxmPhase.Spectra;

/// <summary>
/// Thrown when two energy axes cannot be reconciled, e.g. a stack energy lies outside the range of the
/// reference spectra, or a checkpoint was trained on other energies than the stack it is applied to.
/// </summary>
public sealed class IncompatibleEnergiesException : IncompatibleInputException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence naming the offending energy in eV and the range or axis it was compared with.</param>
    public IncompatibleEnergiesException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">A full sentence naming the offending energy.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public IncompatibleEnergiesException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with a default message.</summary>
    public IncompatibleEnergiesException()
        : base("The energy axes are not compatible.")
    {
    }

    /// <summary>Gets the offending energy in eV, when one value is to blame.</summary>
    public double? EnergyEv { get; init; }
}
