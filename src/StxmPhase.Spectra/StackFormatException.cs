namespace StxmPhase.Spectra;

/// <summary>
/// Thrown when a stack file cannot be read as the format it claims to be (bad magic number, truncated header,
/// unsupported version). Base type of <see cref="UnknownStackFormatException"/> and <see cref="InvalidStackContentException"/>.
/// </summary>
public class StackFormatException : StxmPhaseException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence naming the file, the field and the problem.</param>
    public StackFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">A full sentence naming the file, the field and the problem.</param>
    /// <param name="innerException">The low-level exception (e.g. from an HDF5 or TIFF library).</param>
    public StackFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with a default message.</summary>
    public StackFormatException()
        : base("The stack file is not in a supported format.")
    {
    }
}
