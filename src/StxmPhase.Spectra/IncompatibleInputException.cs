namespace StxmPhase.Spectra;

/// <summary>
/// Thrown when inputs that are each valid do not fit together: stacks with different energy axes that must share
/// one latent space, a mask of another size than the stack, a model trained on other energies.
/// </summary>
public class IncompatibleInputException : StxmPhaseException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence naming both inputs and the value that differs.</param>
    public IncompatibleInputException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">A full sentence naming both inputs and the value that differs.</param>
    /// <param name="innerException">The exception that caused this one.</param>
    public IncompatibleInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with a default message.</summary>
    public IncompatibleInputException()
        : base("The inputs are not compatible with each other.")
    {
    }
}
