namespace StxmPhase.Spectra;

/// <summary>
/// Thrown when a file is in a recognised format but its contents are invalid: declared dimensions that do not
/// match the file length, missing datasets, non-monotonic energies, a truncated data block.
/// </summary>
/// <remarks>Readers never return a partially filled stack: they throw this exception instead.</remarks>
public sealed class InvalidStackContentException : StackFormatException
{
    /// <summary>Initializes a new instance with a message.</summary>
    /// <param name="message">A full sentence naming the file, the field or offset and the offending value.</param>
    public InvalidStackContentException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance with a message and an inner exception.</summary>
    /// <param name="message">A full sentence naming the file, the field or offset and the offending value.</param>
    /// <param name="innerException">The low-level exception (e.g. from an HDF5 library).</param>
    public InvalidStackContentException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance with a default message.</summary>
    public InvalidStackContentException()
        : base("The stack file contents are invalid.")
    {
    }
}
